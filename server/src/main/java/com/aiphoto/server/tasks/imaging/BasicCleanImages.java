package com.aiphoto.server.tasks.imaging;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * basic_clean on local storage: the server's own image processing, producing what Tencent Cloud's image
 * processing produces on COS. The cut-out mask comes from {@link CutOut}; the white-background image is the
 * cut-out composited on white; the enhanced image is that composite with an unsharp mask and a brightness and
 * contrast lift. Output has the input's size: nothing is downscaled, and images over {@link Pixels#MAX_PIXELS}
 * are refused.
 */
public final class BasicCleanImages {
    /** Unsharp mask: blur radius (box, two passes: close to a Gaussian) and amount. */
    private static final int SHARPEN_RADIUS = 2;

    private static final int SHARPEN_AMOUNT_PERCENT = 60;
    /** Brightness/contrast: v' = (v - 128) * CONTRAST + 128 + BRIGHTNESS. */
    private static final float CONTRAST = 1.08f;

    private static final float BRIGHTNESS = 6f;

    /** The three outputs, each PNG bytes: the cut-out (transparent background), on white, and enhanced. */
    public record Outputs(byte[] matting, byte[] whiteBackground, byte[] enhanced) {}

    public BasicCleanImages() {}

    /**
     * Processes one input image (JPEG, PNG or WebP bytes).
     *
     * @throws ImagingException the bytes are not a readable image, or too large to process (permanent)
     */
    public Outputs process(byte[] input) {
        Pixels src = Pixels.decode(input);
        int w = src.width();
        int h = src.height();
        byte[] alpha = CutOut.alpha(src);
        int[] px = src.argb();
        int[] white = onWhite(px, alpha);
        int[] enhanced = enhance(white, w, h);
        // the source's own array becomes the cut-out: three full-size int arrays live at once
        for (int i = 0; i < px.length; i++) {
            int a = (alpha[i] & 0xff) * (px[i] >>> 24) / 255;
            px[i] = (a << 24) | (px[i] & 0xffffff);
        }
        // PNG encoding is most of the time: the three run at once (each is one sequential deflate), on platform
        // threads, which the OS schedules fairly, not on the virtual-thread carriers that serve requests
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("basic-clean-png-", 0).factory())) {
            Future<byte[]> matting = pool.submit(() -> Pixels.png(w, h, px, true));
            Future<byte[]> whiteBackground = pool.submit(() -> Pixels.png(w, h, white, false));
            byte[] enhancedPng = Pixels.png(w, h, enhanced, false);
            return new Outputs(join(matting), join(whiteBackground), enhancedPng);
        }
    }

    private static byte[] join(Future<byte[]> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    /** The pixels composited over white by {@code alpha} times their own alpha. */
    static int[] onWhite(int[] px, byte[] alpha) {
        int[] out = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int a = (alpha[i] & 0xff) * (p >>> 24) / 255;
            int inv = 255 - a;
            int r = (((p >> 16) & 0xff) * a + 255 * inv + 127) / 255;
            int g = (((p >> 8) & 0xff) * a + 255 * inv + 127) / 255;
            int b = ((p & 0xff) * a + 255 * inv + 127) / 255;
            out[i] = 0xff000000 | (r << 16) | (g << 8) | b;
        }
        return out;
    }

    /** Unsharp mask, then brightness and contrast; a new array. */
    static int[] enhance(int[] rgb, int w, int h) {
        int[] blurred = boxBlur(rgb, w, h, SHARPEN_RADIUS);
        int[] tmp = boxBlur(blurred, w, h, SHARPEN_RADIUS);
        int[] lut = new int[256 * 3];
        for (int i = 0; i < lut.length; i++) {
            // index: sharpened value + 256 (the unsharp mask can leave [0, 255] by up to 255 either way)
            float v = (i - 256 - 128) * CONTRAST + 128 + BRIGHTNESS;
            lut[i] = Math.clamp(Math.round(v), 0, 255);
        }
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            int q = tmp[i];
            int r = sharpen((p >> 16) & 0xff, (q >> 16) & 0xff);
            int g = sharpen((p >> 8) & 0xff, (q >> 8) & 0xff);
            int b = sharpen(p & 0xff, q & 0xff);
            tmp[i] = 0xff000000 | (lut[r + 256] << 16) | (lut[g + 256] << 8) | lut[b + 256];
        }
        return tmp;
    }

    private static int sharpen(int v, int blurred) {
        return Math.clamp(v + (v - blurred) * SHARPEN_AMOUNT_PERCENT / 100, -256, 511);
    }

    /** A (2r+1)-square box blur of packed RGB (alpha set opaque), edges clamped; a new array. */
    static int[] boxBlur(int[] rgb, int w, int h, int r) {
        int[] horizontal = new int[rgb.length];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int sr = 0;
            int sg = 0;
            int sb = 0;
            for (int k = -r; k <= r; k++) {
                int p = rgb[row + Math.clamp(k, 0, w - 1)];
                sr += (p >> 16) & 0xff;
                sg += (p >> 8) & 0xff;
                sb += p & 0xff;
            }
            int span = 2 * r + 1;
            for (int x = 0; x < w; x++) {
                horizontal[row + x] = 0xff000000 | ((sr / span) << 16) | ((sg / span) << 8) | (sb / span);
                int add = rgb[row + Math.min(w - 1, x + r + 1)];
                int sub = rgb[row + Math.max(0, x - r)];
                sr += ((add >> 16) & 0xff) - ((sub >> 16) & 0xff);
                sg += ((add >> 8) & 0xff) - ((sub >> 8) & 0xff);
                sb += (add & 0xff) - (sub & 0xff);
            }
        }
        int[] out = new int[rgb.length];
        int[] sr = new int[w];
        int[] sg = new int[w];
        int[] sb = new int[w];
        for (int k = -r; k <= r; k++) {
            int row = Math.clamp(k, 0, h - 1) * w;
            for (int x = 0; x < w; x++) {
                int p = horizontal[row + x];
                sr[x] += (p >> 16) & 0xff;
                sg[x] += (p >> 8) & 0xff;
                sb[x] += p & 0xff;
            }
        }
        int span = 2 * r + 1;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int addRow = Math.min(h - 1, y + r + 1) * w;
            int subRow = Math.max(0, y - r) * w;
            for (int x = 0; x < w; x++) {
                out[row + x] = 0xff000000 | ((sr[x] / span) << 16) | ((sg[x] / span) << 8) | (sb[x] / span);
                int add = horizontal[addRow + x];
                int sub = horizontal[subRow + x];
                sr[x] += ((add >> 16) & 0xff) - ((sub >> 16) & 0xff);
                sg[x] += ((add >> 8) & 0xff) - ((sub >> 8) & 0xff);
                sb[x] += (add & 0xff) - (sub & 0xff);
            }
        }
        return out;
    }
}
