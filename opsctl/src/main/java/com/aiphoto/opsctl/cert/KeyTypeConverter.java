package com.aiphoto.opsctl.cert;

import picocli.CommandLine.ITypeConverter;

final class KeyTypeConverter implements ITypeConverter<KeyType> {
    @Override
    public KeyType convert(String value) {
        return KeyType.parse(value);
    }
}
