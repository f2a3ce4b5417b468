package com.aiphoto.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * The image processing behind {@link FakeCos}'s {@code ?image_process}: a rule is parsed and validated as a
 * whole first (an unknown operation or a value outside Tencent's documented range is the caller's error, like
 * COS's 400), then applied with simple but real transforms, so tests can decode and look at what a rule made.
 * Supported: {@code ci-process=GoodsMatting} (cut-out by the border's colour), and {@code imageMogr2/}
 * {@code thumbnail/<W>x<H>}, {@code pad/1}, {@code color/<URL-safe Base64 #RRGGBB>}, {@code format/png|jpg},
 * {@code sharpen/10..300}, {@code bright/-100..100}, {@code contrast/-100..100}, stages joined by {@code |}.
 */
final class FakeCosImages {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");
    /** Colour distance (sum of channel differences) under which a pixel counts as background. */
    private static final int BACKGROUND_TOLERANCE = 90;

    private FakeCosImages() {}

    /** A rule refused before anything is written. */
    static final class BadRule extends Exception {
        private static final long serialVersionUID = 1L;

        BadRule(String message) {
            super(message);
        }
    }

    /** One parsed stage of a rule. */
    sealed interface Stage permits Matting, Mogr {}

    record Matting() implements Stage {}

    record Mogr(
            Optional<int[]> thumbnail,
            boolean pad,
            Color color,
            Optional<String> format,
            int sharpen,
            int bright,
            int contrast)
            implements Stage {}

    /** A parsed rule and the format its output is written in. */
    record Rule(List<Stage> stages, String format) {}

    static Rule parse(String rule) throws BadRule {
        List<Stage> stages = new ArrayList<>();
        String format = "png";
        for (String stage : rule.split("\\|", -1)) {
            if (stage.equals("ci-process=GoodsMatting") || stage.startsWith("ci-process=GoodsMatting&")) {
                stages.add(new Matting());
            } else if (stage.startsWith("imageMogr2/")) {
                Mogr m = mogr(stage.substring("imageMogr2/".length()));
                stages.add(m);
                if (m.format().isPresent()) {
                    format = m.format().get();
                }
            } else {
                throw new BadRule("unsupported processing: " + stage);
            }
        }
        return new Rule(List.copyOf(stages), format);
    }

    private static Mogr mogr(String spec) throws BadRule {
        String[] parts = spec.split("/", -1);
        if (parts.length % 2 != 0) {
            throw new BadRule("imageMogr2 needs name/value pairs: " + spec);
        }
        Optional<int[]> thumbnail = Optional.empty();
        boolean pad = false;
        Color color = Color.WHITE;
        Optional<String> format = Optional.empty();
        int sharpen = 0;
        int bright = 0;
        int contrast = 0;
        for (int i = 0; i < parts.length; i += 2) {
            String value = parts[i + 1];
            switch (parts[i]) {
                case "thumbnail" -> {
                    Matcher m = SIZE.matcher(value);
                    if (!m.matches()) {
                        throw new BadRule("thumbnail: " + value);
                    }
                    thumbnail = Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                }
                case "pad" -> pad = "1".equals(value);
                case "color" -> color = color(value);
                case "format" -> {
                    if (!value.equals("png") && !value.equals("jpg")) {
                        throw new BadRule("format: " + value);
                    }
                    format = Optional.of(value);
                }
                case "sharpen" -> sharpen = number(value, 10, 300, "sharpen");
                case "bright" -> bright = number(value, -100, 100, "bright");
                case "contrast" -> contrast = number(value, -100, 100, "contrast");
                default -> throw new BadRule("unknown imageMogr2 operation: " + parts[i]);
            }
        }
        if (pad && thumbnail.isEmpty()) {
            throw new BadRule("pad needs thumbnail/<W>x<H>");
        }
        return new Mogr(thumbnail, pad, color, format, sharpen, bright, contrast);
    }

    private static Color color(String value) throws BadRule {
        try {
            String hex = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.US_ASCII);
            if (!hex.matches("#[0-9a-fA-F]{6}")) {
                throw new BadRule("color: " + hex);
            }
            return new Color(Integer.parseInt(hex.substring(1), 16));
        } catch (IllegalArgumentException e) {
            throw new BadRule("color is not URL-safe Base64: " + value);
        }
    }

    private static int number(String value, int min, int max, String what) throws BadRule {
        if (!value.matches("-?\\d{1,4}")) {
            throw new BadRule(what + ": " + value);
        }
        int n = Integer.parseInt(value);
        if (n < min || n > max) {
            throw new BadRule(what + " outside " + min + ".." + max + ": " + n);
        }
        return n;
    }

    /** The source decoded, or empty when it is not an image javax.imageio reads. */
    static Optional<BufferedImage> decode(byte[] data) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(data));
            return Optional.ofNullable(img).map(FakeCosImages::argb);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static BufferedImage apply(Rule rule, BufferedImage source) {
        BufferedImage img = source;
        for (Stage stage : rule.stages()) {
            img = switch (stage) {
                case Matting m -> matting(img);
                case Mogr m -> mogr(m, img);
            };
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        BufferedImage out = img;
        if (format.equals("jpg")) {
            // JPEG has no alpha: flattened on black, as an encoder without a background would
            out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(out, format.equals("jpg") ? "jpeg" : "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage argb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_ARGB) {
            return img;
        }
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }

    /** Pixels close to the border's mean colour become transparent. */
    private static BufferedImage matting(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        long r = 0;
        long g = 0;
        long b = 0;
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                    int p = px[y * w + x];
                    r += (p >> 16) & 0xff;
                    g += (p >> 8) & 0xff;
                    b += p & 0xff;
                    n++;
                }
            }
        }
        int br = (int) (r / n);
        int bg = (int) (g / n);
        int bb = (int) (b / n);
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int d = Math.abs(((p >> 16) & 0xff) - br) + Math.abs(((p >> 8) & 0xff) - bg) + Math.abs((p & 0xff) - bb);
            if (d < BACKGROUND_TOLERANCE) {
                px[i] = p & 0xffffff;
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, px, 0, w);
        return out;
    }

    private static BufferedImage mogr(Mogr m, BufferedImage img) {
        BufferedImage out = img;
        if (m.thumbnail().isPresent()) {
            out = thumbnail(out, m.thumbnail().get()[0], m.thumbnail().get()[1], m.pad(), m.color());
        }
        if (m.sharpen() > 0) {
            out = sharpen(out, m.sharpen() / 100f);
        }
        if (m.bright() != 0 || m.contrast() != 0) {
            out = brightContrast(out, m.bright(), m.contrast());
        }
        return out;
    }

    /** Fits the image in w x h (aspect kept); with pad, centred on a w x h canvas of the colour. */
    private static BufferedImage thumbnail(BufferedImage img, int w, int h, boolean pad, Color color) {
        double scale = Math.min((double) w / img.getWidth(), (double) h / img.getHeight());
        int sw = Math.max(1, (int) Math.round(img.getWidth() * scale));
        int sh = Math.max(1, (int) Math.round(img.getHeight() * scale));
        int cw = pad ? w : sw;
        int ch = pad ? h : sh;
        BufferedImage out = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        if (pad) {
            g.setColor(color);
            g.fillRect(0, 0, cw, ch);
        }
        g.drawImage(img, (cw - sw) / 2, (ch - sh) / 2, sw, sh, null);
        g.dispose();
        return out;
    }

    /** A 3x3 Laplacian sharpen of the given strength, alpha kept. */
    private static BufferedImage sharpen(BufferedImage img, float k) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        int[] out = px.clone();
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                int p = px[i];
                int v = p & 0xff000000;
                for (int shift = 0; shift <= 16; shift += 8) {
                    int c = (p >> shift) & 0xff;
                    int around = ((px[i - 1] >> shift) & 0xff)
                            + ((px[i + 1] >> shift) & 0xff)
                            + ((px[i - w] >> shift) & 0xff)
                            + ((px[i + w] >> shift) & 0xff);
                    v |= clamp(Math.round(c + k * (4 * c - around))) << shift;
                }
                out[i] = v;
            }
        }
        BufferedImage result = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        result.setRGB(0, 0, w, h, out, 0, w);
        return result;
    }

    private static BufferedImage brightContrast(BufferedImage img, int bright, int contrast) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        float factor = (100 + contrast) / 100f;
        float offset = bright * 1.28f;
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int v = p & 0xff000000;
            for (int shift = 0; shift <= 16; shift += 8) {
                int c = (p >> shift) & 0xff;
                v |= clamp(Math.round((c - 128) * factor + 128 + offset)) << shift;
            }
            px[i] = v;
        }
        BufferedImage result = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        result.setRGB(0, 0, w, h, px, 0, w);
        return result;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
