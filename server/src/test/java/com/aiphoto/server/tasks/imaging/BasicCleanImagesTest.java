package com.aiphoto.server.tasks.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class BasicCleanImagesTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private final BasicCleanImages images = new BasicCleanImages();

    @Test
    void jpegInputIsCutOutPutOnWhiteAndEnhanced() {
        TestPictures.Picture pic = TestPictures.shirt(600);
        checkOutputs(pic, images.process(TestPictures.jpeg(pic.image(), 0.9f)));
    }

    @Test
    void pngInput() {
        TestPictures.Picture pic = TestPictures.shirt(500);
        checkOutputs(pic, images.process(TestPictures.png(pic.image())));
    }

    @Test
    void lossyWebpInput() {
        // cwebp -q 90 of TestPictures.shirt(320): the truth is regenerated here
        checkOutputs(TestPictures.shirt(320), images.process(resource("shirt-320.webp")));
    }

    @Test
    void losslessWebpInput() {
        checkOutputs(TestPictures.shirt(128), images.process(resource("shirt-128-lossless.webp")));
    }

    @Test
    void anObjectCutByTheFrameKeepsItsEdgeThere() {
        // the shirt runs off the bottom edge: the flood fill from the border must not eat into it there
        TestPictures.Picture pic = TestPictures.shirt(400, 300, 0.2);
        BasicCleanImages.Outputs out = images.process(TestPictures.png(pic.image()));
        BufferedImage matting = decode(out.matting());
        double iou = iou(alphaMask(matting), pic.mask());
        assertTrue(iou > 0.9, "IoU " + iou);
        int w = pic.width();
        int bottom = (pic.height() - 1) * w;
        int covered = 0;
        int truth = 0;
        for (int x = 0; x < w; x++) {
            if (pic.mask()[bottom + x]) {
                truth++;
                if ((matting.getRGB(x, pic.height() - 1) >>> 24) >= 128) {
                    covered++;
                }
            }
        }
        assertTrue(truth > 0 && covered >= truth * 0.9, covered + " of " + truth + " bottom-row object pixels kept");
    }

    @Test
    void outputsAreTheInputsSizeAtFullResolution() {
        TestPictures.Picture pic = TestPictures.shirt(900, 700, 0);
        BasicCleanImages.Outputs out = images.process(TestPictures.jpeg(pic.image(), 0.85f));
        for (byte[] png : new byte[][] {out.matting(), out.whiteBackground(), out.enhanced()}) {
            BufferedImage img = decode(png);
            assertEquals(900, img.getWidth());
            assertEquals(700, img.getHeight());
        }
    }

    @Test
    void notAnImageIsRefused() {
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        assertThrows(ImagingException.class, () -> images.process(random));
        assertThrows(ImagingException.class, () -> images.process(new byte[0]));
        assertThrows(ImagingException.class, () -> images.process("GIF89a? no, text".getBytes(StandardCharsets.UTF_8)));
        // a PNG cut off in the middle of its image data
        byte[] png = TestPictures.png(TestPictures.shirt(200).image());
        assertThrows(ImagingException.class, () -> images.process(Arrays.copyOf(png, png.length / 2)));
        // the JPEG marker and nothing else
        assertThrows(ImagingException.class, () -> images.process(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}));
    }

    @Test
    void anImageOverTheLimitIsRefusedFromItsHeader() {
        // a valid PNG header announcing 8000 x 6000 (48 MP) with one row of data: refused before decoding
        ImagingException e = assertThrows(ImagingException.class, () -> images.process(pngHeaderOnly(8000, 6000)));
        assertTrue(e.getMessage().contains("8000x6000"), e.getMessage());
        assertTrue(e.getMessage().contains("MP limit"), e.getMessage());
    }

    private static void checkOutputs(TestPictures.Picture pic, BasicCleanImages.Outputs out) {
        BufferedImage matting = decode(out.matting());
        BufferedImage white = decode(out.whiteBackground());
        BufferedImage enhanced = decode(out.enhanced());
        int w = pic.width();
        int h = pic.height();
        for (BufferedImage img : new BufferedImage[] {matting, white, enhanced}) {
            assertEquals(w, img.getWidth());
            assertEquals(h, img.getHeight());
        }
        assertTrue(matting.getColorModel().hasAlpha(), "matting.png has an alpha channel");
        double iou = iou(alphaMask(matting), pic.mask());
        assertTrue(iou > 0.9, "mask IoU against the truth: " + iou);
        // the border band (3 px) is background: transparent in the cut-out, pure white on white
        int[] whitePx = white.getRGB(0, 0, w, h, null, 0, w);
        int[] mattingPx = matting.getRGB(0, 0, w, h, null, 0, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (x < 3 || y < 3 || x >= w - 3 || y >= h - 3) {
                    assertEquals(0xffffff, whitePx[y * w + x] & 0xffffff, "white-bg at " + x + "," + y);
                    assertEquals(0, mattingPx[y * w + x] >>> 24, "matting alpha at " + x + "," + y);
                }
            }
        }
        // inside the object, the white composite keeps the object's colours (the shirt is red)
        int cx = w / 2;
        int cy = h / 2;
        int centre = whitePx[cy * w + cx];
        assertTrue(((centre >> 16) & 0xff) > 120 && ((centre >> 8) & 0xff) < 100, Integer.toHexString(centre));
        // enhanced: same size, different pixels (sharpened, brighter) across the object, still white around it
        int[] enhancedPx = enhanced.getRGB(0, 0, w, h, null, 0, w);
        long changed = 0;
        long objectPixels = 0;
        long brighter = 0;
        for (int i = 0; i < whitePx.length; i++) {
            if (pic.mask()[i]) {
                objectPixels++;
                if (enhancedPx[i] != whitePx[i]) {
                    changed++;
                }
                if (luma(enhancedPx[i]) > luma(whitePx[i])) {
                    brighter++;
                }
            }
        }
        assertTrue(changed > objectPixels * 0.8, changed + " of " + objectPixels + " object pixels changed");
        assertTrue(brighter > objectPixels / 2, brighter + " of " + objectPixels + " object pixels brighter");
        assertEquals(0xffffff, enhancedPx[0] & 0xffffff);
        assertEquals(0xffffff, enhancedPx[whitePx.length - 1] & 0xffffff);
        // the cut-out's colours are the input's where it is opaque
        BufferedImage in = pic.image();
        int src = in.getRGB(cx, cy);
        int cut = matting.getRGB(cx, cy);
        assertEquals(255, cut >>> 24);
        assertTrue(distance(src, cut) < 40, Integer.toHexString(src) + " vs " + Integer.toHexString(cut));
        assertArrayEquals(new int[] {w, h}, new int[] {white.getWidth(), white.getHeight()});
    }

    static double iou(boolean[] predicted, boolean[] truth) {
        long inter = 0;
        long union = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] && truth[i]) {
                inter++;
            }
            if (predicted[i] || truth[i]) {
                union++;
            }
        }
        return union == 0 ? 0 : (double) inter / union;
    }

    static boolean[] alphaMask(BufferedImage matting) {
        int w = matting.getWidth();
        int h = matting.getHeight();
        int[] px = matting.getRGB(0, 0, w, h, null, 0, w);
        boolean[] m = new boolean[px.length];
        for (int i = 0; i < px.length; i++) {
            m[i] = (px[i] >>> 24) >= 128;
        }
        return m;
    }

    private static int luma(int p) {
        return 299 * ((p >> 16) & 0xff) + 587 * ((p >> 8) & 0xff) + 114 * (p & 0xff);
    }

    private static int distance(int a, int b) {
        int dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
        int dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
        int db = (a & 0xff) - (b & 0xff);
        return (int) Math.sqrt(dr * dr + dg * dg + db * db);
    }

    static BufferedImage decode(byte[] png) {
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8), "PNG signature");
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertTrue(img != null, "decodable");
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = BasicCleanImagesTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PNG signature, an IHDR for w x h 8-bit RGB (its CRC right), and an empty IDAT. */
    private static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer ihdr =
                ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2);
        ihdr.put((byte) 0).put((byte) 0).put((byte) 0);
        ByteBuffer out = ByteBuffer.allocate(8 + 25 + 12);
        out.put(PNG_SIGNATURE);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[0]);
        return out.array();
    }

    private static void chunk(ByteBuffer out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.putInt(data.length).put(t).put(data).putInt((int) crc.getValue());
    }
}
