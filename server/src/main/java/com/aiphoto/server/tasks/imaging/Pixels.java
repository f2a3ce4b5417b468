package com.aiphoto.server.tasks.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * An image as packed ARGB ints (one array, row-major), read through javax.imageio (JPEG, PNG, and WebP through
 * TwelveMonkeys' reader, which registers itself as an ImageIO service) and written as PNG.
 */
record Pixels(int width, int height, int[] argb) {
    /**
     * Refused above this many pixels: basic_clean holds about 20 bytes per pixel at its peak (800 MB at 40 MP),
     * and uploads are at most 10 MiB anyway.
     */
    static final long MAX_PIXELS = 40_000_000L;

    /**
     * Decodes {@code bytes}, reading the size from the header first so an oversized image is refused before its
     * pixels are allocated.
     */
    static Pixels decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ImagingException("empty input");
        }
        // memory-cached streams: ImageIO's own factory methods spool to a temporary file by default
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImagingException("not a JPEG, PNG or WebP image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || (long) w * h > MAX_PIXELS) {
                    throw new ImagingException(
                            "image of " + w + "x" + h + " pixels is over the " + MAX_PIXELS / 1_000_000 + " MP limit");
                }
                return of(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (ImagingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // readers throw IIOException, but also IndexOutOfBounds, IllegalArgument, ... on corrupt data
            throw new ImagingException("unreadable image (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    static Pixels of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        return new Pixels(w, h, image.getRGB(0, 0, w, h, null, 0, w));
    }

    int size() {
        return argb.length;
    }

    /** PNG bytes of {@code argb} ({@code width * height} packed pixels): RGBA when {@code alpha}, else RGB. */
    static byte[] png(int width, int height, int[] argb, boolean alpha) {
        return png(image(width, height, argb, alpha));
    }

    /** A BufferedImage over {@code argb} itself (no copy). */
    static BufferedImage image(int width, int height, int[] argb, boolean alpha) {
        DirectColorModel cm = alpha
                ? (DirectColorModel) ColorModel.getRGBdefault()
                : new DirectColorModel(24, 0xff0000, 0xff00, 0xff);
        WritableRaster raster = Raster.createPackedRaster(
                new DataBufferInt(argb, argb.length), width, height, width, cm.getMasks(), null);
        return new BufferedImage(cm, raster, false, null);
    }

    static byte[] png(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, image.getWidth() * image.getHeight()));
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            // the JDK's writer deflates at level 9 - round(9 * quality): 0.9 is level 1, about twice as fast as
            // the default level 4 on photos for 2-3% more bytes (deploy/bench/basic-clean.sh)
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
