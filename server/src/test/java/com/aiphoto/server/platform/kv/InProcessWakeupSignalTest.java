package com.aiphoto.server.platform.kv;

class InProcessWakeupSignalTest extends WakeupSignalContract {

    @Override
    WakeupSignal newSignal() {
        return new InProcessWakeupSignal();
    }

    @Override
    WakeupSignal peer() {
        return signals;
    }
}
