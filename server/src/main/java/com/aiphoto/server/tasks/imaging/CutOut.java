package com.aiphoto.server.tasks.imaging;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Separates the object from its background: the background colour is estimated from the image's border, the
 * background is what a flood fill from the border reaches through pixels within a tolerance of that colour
 * (the tolerance follows the border's own spread, so noise and JPEG artefacts stay background), enclosed
 * background-coloured pockets are filled when small and cut out when large (the gap between an arm and a body),
 * then a morphological opening and closing remove specks and cracks, fragments too small to be part of the
 * object are dropped, and the edge is softened by a small box blur. All on one byte per pixel.
 */
final class CutOut {
    private static final byte FG = 0;
    private static final byte BG_LIKE = 1;
    private static final byte BG = 2;
    private static final byte MARK = 3;
    private static final byte KEEP = 4;

    private CutOut() {}

    /** The estimated background colour and the colour distance (Euclidean RGB) still counted as background. */
    record Background(int rgb, int tolerance) {}

    /** The alpha (0 background .. 255 object) of each pixel of {@code img}. */
    static byte[] alpha(Pixels img) {
        byte[] mask = mask(img);
        return soften(mask, img.width(), img.height(), Math.max(1, Math.min(img.width(), img.height()) / 400));
    }

    /** The hard mask: 1 object, 0 background. */
    static byte[] mask(Pixels img) {
        int w = img.width();
        int h = img.height();
        int n = w * h;
        int[] px = img.argb();
        Background bg = background(img);
        int br = (bg.rgb() >> 16) & 0xff;
        int bgG = (bg.rgb() >> 8) & 0xff;
        int bb = bg.rgb() & 0xff;
        int tol2 = bg.tolerance() * bg.tolerance();
        byte[] m = new byte[n];
        for (int i = 0; i < n; i++) {
            int p = px[i];
            int dr = ((p >> 16) & 0xff) - br;
            int dg = ((p >> 8) & 0xff) - bgG;
            int db = (p & 0xff) - bb;
            boolean transparent = (p >>> 24) < 128;
            m[i] = transparent || dr * dr + dg * dg + db * db <= tol2 ? BG_LIKE : FG;
        }
        IntStack stack = new IntStack();
        // the background: everything background-like reachable from the border
        for (int x = 0; x < w; x++) {
            fill(m, w, h, x, BG_LIKE, BG, stack);
            fill(m, w, h, (h - 1) * w + x, BG_LIKE, BG, stack);
        }
        for (int y = 0; y < h; y++) {
            fill(m, w, h, y * w, BG_LIKE, BG, stack);
            fill(m, w, h, y * w + w - 1, BG_LIKE, BG, stack);
        }
        // enclosed background-like pockets: small ones are part of the object (a highlight, a print), large
        // ones are holes in it
        int holeMax = Math.max(16, n / 400);
        relabel(m, w, h, BG_LIKE, size -> size <= holeMax ? FG : BG, stack);
        for (int i = 0; i < n; i++) {
            m[i] = m[i] == FG ? (byte) 1 : (byte) 0;
        }
        int r = Math.max(1, Math.min(w, h) / 300);
        byte[] tmp = new byte[n];
        // opening (specks, thin bridges to background noise), then closing (cracks, pinholes)
        morph(m, tmp, w, h, r, false);
        morph(m, tmp, w, h, r, true);
        morph(m, tmp, w, h, r, true);
        morph(m, tmp, w, h, r, false);
        // fragments: object parts smaller than 0.05% of the picture are noise the opening did not remove
        int partMin = Math.max(16, n / 2000);
        relabel(m, w, h, (byte) 1, size -> size < partMin ? (byte) 0 : KEEP, stack);
        long fg = 0;
        for (int i = 0; i < n; i++) {
            if (m[i] == KEEP) {
                m[i] = 1;
                fg++;
            }
        }
        if (fg == 0) {
            // nothing stands out from the border's colour (a blank picture): keep the picture whole rather than
            // return an empty cut-out
            Arrays.fill(m, (byte) 1);
        }
        return m;
    }

    /**
     * The per-channel median of the border band (opaque pixels only) and a tolerance of 1.5 times the 90th
     * percentile of the band's distances to it plus a margin, within [20, 80].
     */
    static Background background(Pixels img) {
        int w = img.width();
        int h = img.height();
        int[] px = img.argb();
        int band = Math.max(1, Math.min(w, h) / 100);
        int[] hr = new int[256];
        int[] hg = new int[256];
        int[] hb = new int[256];
        int[] count = {0};
        forEachBorder(w, h, band, i -> {
            int p = px[i];
            if ((p >>> 24) >= 128) {
                hr[(p >> 16) & 0xff]++;
                hg[(p >> 8) & 0xff]++;
                hb[p & 0xff]++;
                count[0]++;
            }
        });
        if (count[0] == 0) {
            return new Background(0xffffff, 20);
        }
        int br = median(hr, count[0]);
        int bgG = median(hg, count[0]);
        int bb = median(hb, count[0]);
        int[] hd = new int[443];
        forEachBorder(w, h, band, i -> {
            int p = px[i];
            if ((p >>> 24) >= 128) {
                int dr = ((p >> 16) & 0xff) - br;
                int dg = ((p >> 8) & 0xff) - bgG;
                int db = (p & 0xff) - bb;
                hd[(int) Math.sqrt(dr * dr + dg * dg + db * db)]++;
            }
        });
        int p90 = percentile(hd, count[0], 0.9);
        return new Background((br << 16) | (bgG << 8) | bb, Math.clamp(Math.round(p90 * 1.5f) + 12, 20, 80));
    }

    /** Calls {@code action} with the index of each pixel within {@code band} of the picture's edge, once. */
    private static void forEachBorder(int w, int h, int band, IntConsumer action) {
        for (int y = 0; y < h; y++) {
            boolean edgeRow = y < band || y >= h - band;
            for (int x = 0; x < w; x++) {
                if (!edgeRow && x == band && w - band > band) {
                    x = w - band;
                }
                action.accept(y * w + x);
            }
        }
    }

    private static int median(int[] hist, int count) {
        return percentile(hist, count, 0.5);
    }

    private static int percentile(int[] hist, int count, double q) {
        long target = (long) Math.ceil(count * q);
        long seen = 0;
        for (int v = 0; v < hist.length; v++) {
            seen += hist[v];
            if (seen >= target) {
                return v;
            }
        }
        return hist.length - 1;
    }

    /**
     * Scanline flood fill (4-connected) of the region of value {@code from} containing {@code seed} with
     * {@code to}; returns the number of pixels changed (0 when the seed is not {@code from}).
     */
    static int fill(byte[] m, int w, int h, int seed, byte from, byte to, IntStack stack) {
        if (m[seed] != from) {
            return 0;
        }
        int changed = 0;
        stack.clear();
        stack.push(seed);
        while (!stack.isEmpty()) {
            int i = stack.pop();
            if (m[i] != from) {
                continue;
            }
            int y = i / w;
            int row = y * w;
            int l = i;
            while (l > row && m[l - 1] == from) {
                l--;
            }
            int r = i;
            while (r < row + w - 1 && m[r + 1] == from) {
                r++;
            }
            for (int j = l; j <= r; j++) {
                m[j] = to;
            }
            changed += r - l + 1;
            if (y > 0) {
                seedRuns(m, l - w, r - w, from, stack);
            }
            if (y < h - 1) {
                seedRuns(m, l + w, r + w, from, stack);
            }
        }
        return changed;
    }

    /** Pushes one seed per run of {@code from} in [l, r]. */
    private static void seedRuns(byte[] m, int l, int r, byte from, IntStack stack) {
        boolean inRun = false;
        for (int j = l; j <= r; j++) {
            if (m[j] == from) {
                if (!inRun) {
                    stack.push(j);
                    inRun = true;
                }
            } else {
                inRun = false;
            }
        }
    }

    interface SizeRule {
        byte valueFor(int size);
    }

    /** Gives every connected region of value {@code from} the value {@code rule} picks for its size. */
    private static void relabel(byte[] m, int w, int h, byte from, SizeRule rule, IntStack stack) {
        for (int i = 0; i < m.length; i++) {
            if (m[i] == from) {
                int size = fill(m, w, h, i, from, MARK, stack);
                fill(m, w, h, i, MARK, rule.valueFor(size), stack);
            }
        }
    }

    /**
     * Binary dilation ({@code dilate}) or erosion of the 0/1 mask {@code m} in place by a (2r+1)-square, as two
     * separable running-count passes; pixels outside the picture do not count (an object cut by the frame keeps
     * its edge there).
     */
    static void morph(byte[] m, byte[] tmp, int w, int h, int r, boolean dilate) {
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int count = 0;
            // window [x - r, x + r] clipped to the row
            for (int x = 0; x < Math.min(r, w); x++) {
                count += m[row + x];
            }
            for (int x = 0; x < w; x++) {
                if (x + r < w) {
                    count += m[row + x + r];
                }
                if (x - r - 1 >= 0) {
                    count -= m[row + x - r - 1];
                }
                int span = Math.min(w - 1, x + r) - Math.max(0, x - r) + 1;
                tmp[row + x] = (byte) (dilate ? (count > 0 ? 1 : 0) : (count == span ? 1 : 0));
            }
        }
        int[] counts = new int[w];
        for (int y = 0; y < Math.min(r, h); y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                counts[x] += tmp[row + x];
            }
        }
        for (int y = 0; y < h; y++) {
            if (y + r < h) {
                int row = (y + r) * w;
                for (int x = 0; x < w; x++) {
                    counts[x] += tmp[row + x];
                }
            }
            if (y - r - 1 >= 0) {
                int row = (y - r - 1) * w;
                for (int x = 0; x < w; x++) {
                    counts[x] -= tmp[row + x];
                }
            }
            int span = Math.min(h - 1, y + r) - Math.max(0, y - r) + 1;
            int row = y * w;
            for (int x = 0; x < w; x++) {
                m[row + x] = (byte) (dilate ? (counts[x] > 0 ? 1 : 0) : (counts[x] == span ? 1 : 0));
            }
        }
    }

    /** Alpha 0..255 from the 0/1 mask: a (2r+1)-square box average, so the edge ramps over 2r+1 pixels. */
    static byte[] soften(byte[] m, int w, int h, int r) {
        int n = w * h;
        int[] horizontal = new int[n];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int sum = 0;
            for (int x = 0; x < Math.min(r, w); x++) {
                sum += m[row + x];
            }
            for (int x = 0; x < w; x++) {
                if (x + r < w) {
                    sum += m[row + x + r];
                }
                if (x - r - 1 >= 0) {
                    sum -= m[row + x - r - 1];
                }
                int span = Math.min(w - 1, x + r) - Math.max(0, x - r) + 1;
                horizontal[row + x] = sum * 255 / span;
            }
        }
        byte[] alpha = new byte[n];
        int[] sums = new int[w];
        for (int y = 0; y < Math.min(r, h); y++) {
            for (int x = 0; x < w; x++) {
                sums[x] += horizontal[y * w + x];
            }
        }
        for (int y = 0; y < h; y++) {
            if (y + r < h) {
                for (int x = 0; x < w; x++) {
                    sums[x] += horizontal[(y + r) * w + x];
                }
            }
            if (y - r - 1 >= 0) {
                for (int x = 0; x < w; x++) {
                    sums[x] -= horizontal[(y - r - 1) * w + x];
                }
            }
            int span = Math.min(h - 1, y + r) - Math.max(0, y - r) + 1;
            for (int x = 0; x < w; x++) {
                alpha[y * w + x] = (byte) (sums[x] / span);
            }
        }
        return alpha;
    }

    /** A growable stack of ints (pixel indices) without boxing. */
    static final class IntStack {
        private int[] items = new int[1024];
        private int size;

        void push(int v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        int pop() {
            return items[--size];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void clear() {
            size = 0;
        }
    }
}
