package com.aiphoto.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageTypesTest {
    @Test
    void namesMapToTypesIgnoringCaseAndJpegIsStoredAsJpg() {
        assertEquals(Optional.of(ImageTypes.JPEG), ImageTypes.byName("A.JPEG"));
        assertEquals("jpg", ImageTypes.byName("a.jpeg").orElseThrow().extension());
        assertEquals(Optional.of(ImageTypes.PNG), ImageTypes.byName("x.tar.png"));
        assertEquals(Optional.of(ImageTypes.WEBP), ImageTypes.byName("x.webp"));
        assertEquals(Optional.empty(), ImageTypes.byName("x.png.exe"));
        assertEquals(Optional.empty(), ImageTypes.byName("png"));
        assertEquals(Optional.empty(), ImageTypes.byName(null));
        assertEquals(Optional.of(ImageTypes.PNG), ImageTypes.byContentType("IMAGE/PNG"));
        assertEquals(Optional.empty(), ImageTypes.byContentType("image/gif"));
    }

    @Test
    void contentIsRecognisedByItsMagicBytesOnly() {
        assertEquals(Optional.of(ImageTypes.JPEG), ImageTypes.sniff(image(0xFF, 0xD8, 0xFF, 0xE0)));
        assertEquals(
                Optional.of(ImageTypes.PNG), ImageTypes.sniff(image(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)));
        assertEquals(
                Optional.of(ImageTypes.WEBP),
                ImageTypes.sniff("RIFF\u0000\u0010\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(Optional.empty(), ImageTypes.sniff("GIF89a........".getBytes(StandardCharsets.US_ASCII)));
        // RIFF of another kind (a WAV file) is not WebP
        assertEquals(Optional.empty(), ImageTypes.sniff("RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(Optional.empty(), ImageTypes.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8}));
        assertEquals(Optional.empty(), ImageTypes.sniff(new byte[0]));
    }

    private static byte[] image(int... magic) {
        byte[] b = new byte[64];
        for (int i = 0; i < magic.length; i++) {
            b[i] = (byte) magic[i];
        }
        return b;
    }
}
