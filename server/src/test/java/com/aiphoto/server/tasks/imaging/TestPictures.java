package com.aiphoto.server.tasks.imaging;

import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Generated product photos with a known mask: a T-shirt-like polygon, striped and shaded, with noise, on a
 * coloured background with a gradient and noise of its own. Pixel-exact and deterministic (java.util.Random's
 * sequence is specified), so a fixture encoded from it by another tool keeps the same truth.
 *
 * <p>{@code shirt-320.webp} and {@code shirt-128-lossless.webp} under src/test/resources were made with
 * {@code main}: {@code java -cp server/target/test-classes com.aiphoto.server.tasks.imaging.TestPictures 320
 * /tmp/s.png && cwebp -q 90 /tmp/s.png -o shirt-320.webp} (and {@code 128 ... cwebp -lossless}).
 */
final class TestPictures {
    static final long SEED = 42;

    private TestPictures() {}

    /** A picture and the truth: mask[i] is true where the object is. */
    record Picture(BufferedImage image, boolean[] mask) {
        int width() {
            return image.getWidth();
        }

        int height() {
            return image.getHeight();
        }
    }

    /** The shirt picture, {@code size} pixels square. */
    static Picture shirt(int size) {
        return shirt(size, size, 0);
    }

    /**
     * The shirt picture of {@code w x h}, moved down by {@code shiftDown} (a fraction of the height; > 0.12 makes
     * the shirt run off the bottom edge).
     */
    static Picture shirt(int w, int h, double shiftDown) {
        double[][] pts = {
            {0.35, 0.15},
            {0.42, 0.12},
            {0.50, 0.19},
            {0.58, 0.12},
            {0.65, 0.15},
            {0.86, 0.29},
            {0.78, 0.41},
            {0.70, 0.36},
            {0.70, 0.88},
            {0.30, 0.88},
            {0.30, 0.36},
            {0.22, 0.41},
            {0.14, 0.29}
        };
        Path2D.Double shape = new Path2D.Double();
        for (int i = 0; i < pts.length; i++) {
            double x = pts[i][0] * w;
            double y = (pts[i][1] + shiftDown) * h;
            if (i == 0) {
                shape.moveTo(x, y);
            } else {
                shape.lineTo(x, y);
            }
        }
        shape.closePath();
        Random rnd = new Random(SEED);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        boolean[] mask = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inside = shape.contains(x + 0.5, y + 0.5);
                mask[y * w + x] = inside;
                double r;
                double g;
                double b;
                if (inside) {
                    // red shirt, darker stripes every 12% of the width, lit from the top
                    double light = 1.0 - 0.25 * y / h;
                    boolean stripe = ((int) (x * 100.0 / w) / 6) % 2 == 0;
                    r = (stripe ? 165 : 205) * light;
                    g = (stripe ? 28 : 45) * light;
                    b = (stripe ? 40 : 60) * light;
                } else {
                    // sage green, a diagonal gradient across the frame
                    double t = (x + y) / (double) (w + h);
                    r = 96 + 20 * t;
                    g = 158 - 14 * t;
                    b = 112 + 10 * t;
                }
                double noise = 7;
                int ri = clamp(r + rnd.nextGaussian() * noise);
                int gi = clamp(g + rnd.nextGaussian() * noise);
                int bi = clamp(b + rnd.nextGaussian() * noise);
                img.setRGB(x, y, (ri << 16) | (gi << 8) | bi);
            }
        }
        return new Picture(img, mask);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    static byte[] png(BufferedImage img) {
        return encode(img, "png", null);
    }

    static byte[] jpeg(BufferedImage img, float quality) {
        return encode(img, "jpeg", quality);
    }

    private static byte[] encode(BufferedImage img, String format, Float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Writes the {@code args[0]}-pixel shirt as PNG to {@code args[1]} (to make the WebP fixtures with cwebp). */
    public static void main(String[] args) throws IOException {
        Files.write(Path.of(args[1]), png(shirt(Integer.parseInt(args[0])).image()));
    }
}
