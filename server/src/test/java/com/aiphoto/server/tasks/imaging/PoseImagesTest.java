package com.aiphoto.server.tasks.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoseImagesTest {
    private final PoseImages poses = new PoseImages();

    @Test
    void twelveDistinctDecodableImagesOfTheInputsSize() {
        TestPictures.Picture pic = TestPictures.shirt(300, 240, 0);
        List<byte[]> out = poses.derive(TestPictures.jpeg(pic.image(), 0.9f), 12);
        assertEquals(12, out.size());
        List<int[]> pixels = new ArrayList<>();
        for (byte[] png : out) {
            BufferedImage img = BasicCleanImagesTest.decode(png);
            assertEquals(300, img.getWidth());
            assertEquals(240, img.getHeight());
            pixels.add(img.getRGB(0, 0, 300, 240, null, 0, 300));
        }
        for (int i = 0; i < pixels.size(); i++) {
            for (int j = i + 1; j < pixels.size(); j++) {
                assertFalse(Arrays.equals(pixels.get(i), pixels.get(j)), "images " + i + " and " + j + " are equal");
            }
        }
        // the object is in every image: the shirt's red is present, on a background that is not the input's
        for (int[] px : pixels) {
            long red = Arrays.stream(px)
                    .filter(p -> ((p >> 16) & 0xff) > 130 && ((p >> 8) & 0xff) < 90)
                    .count();
            assertFalse(red < px.length / 10, red + " red pixels");
        }
    }

    @Test
    void webpInputAndOtherCounts() {
        byte[] webp = BasicCleanImagesTest.resource("shirt-320.webp");
        assertEquals(1, poses.derive(webp, 1).size());
        assertEquals(3, poses.derive(webp, 3).size());
    }

    @Test
    void refusals() {
        assertThrows(ImagingException.class, () -> poses.derive("not an image".getBytes(StandardCharsets.UTF_8), 12));
        byte[] png = TestPictures.png(TestPictures.shirt(64).image());
        assertThrows(IllegalArgumentException.class, () -> poses.derive(png, 0));
        assertThrows(IllegalArgumentException.class, () -> poses.derive(png, PoseImages.MAX_COUNT + 1));
    }
}
