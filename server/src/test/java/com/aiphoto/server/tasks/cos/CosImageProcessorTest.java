package com.aiphoto.server.tasks.cos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.storage.CosObjectStorage;
import com.aiphoto.core.storage.CosStorage;
import com.aiphoto.server.tasks.ProviderException;
import com.aiphoto.testing.FakeCos;
import com.aiphoto.testing.FakeServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qcloud.cos.exception.CosServiceException;
import com.qcloud.cos.model.ciModel.common.ImageProcessRequest;
import com.qcloud.cos.model.ciModel.persistence.CIUploadResult;
import com.qcloud.cos.model.ciModel.persistence.PicOperations;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CosImageProcessor} through the real SDK against the fake COS, which checks every request's signature
 * and runs the Pic-Operations rules with real image output.
 */
class CosImageProcessorTest {
    private static final String ID = "AKIDimagingtest";
    private static final String KEY = "imaging-test-secret-key-0123456789";
    private static final String BUCKET = "media-1250000000";
    private static final String INPUT = "input/7/20260101/shirt.jpg";
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** When above zero, that many image_process calls get the scripted status before the fake's own answer. */
    private final AtomicInteger failNext = new AtomicInteger();

    private volatile int failStatus = 503;

    /** When set, image_process of this source key fails with {@link #failStatus} (instead of {@link #failNext}). */
    private volatile String failSource;

    private final FakeCos cos = new FakeCos(ID, KEY) {
        @Override
        protected Reply imageProcess(Request req, String key) {
            boolean scripted = failSource == null ? failNext.getAndDecrement() > 0 : failSource.equals(key);
            if (scripted) {
                String code = failStatus >= 500 ? "InternalError" : "AccessDenied";
                return Reply.of(
                        failStatus,
                        "application/xml",
                        ("<?xml version='1.0' encoding='utf-8' ?><Error><Code>" + code
                                        + "</Code><Message>scripted</Message><RequestId>t</RequestId></Error>")
                                .getBytes(StandardCharsets.UTF_8));
            }
            return super.imageProcess(req, key);
        }
    };

    private final List<CosObjectStorage> storages = new ArrayList<>();

    private CosObjectStorage storage(String secretKey) {
        CosObjectStorage s = new CosObjectStorage(
                new CosStorage(BUCKET, "ap-guangzhou", ID, secretKey, Optional.of(cos.endpoint())), Clock.systemUTC());
        storages.add(s);
        return s;
    }

    @AfterEach
    void close() {
        storages.forEach(CosObjectStorage::close);
        cos.close();
    }

    /** A 160x120 JPEG: a red shirt-like block with a gradient on a green background. */
    private static byte[] picture() throws IOException {
        BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40, 170, 60));
        g.fillRect(0, 0, 160, 120);
        for (int y = 30; y < 100; y++) {
            g.setColor(new Color(200 + (y - 30) / 2, 30, 40));
            g.fillRect(50, y, 60, 1);
        }
        g.fillRect(30, 30, 100, 20);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    private static BufferedImage png(byte[] data) throws IOException {
        assertNotNull(data);
        assertArrayEquals(PNG_MAGIC, java.util.Arrays.copyOf(data, PNG_MAGIC.length), "PNG signature");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(data));
        assertNotNull(img, "decodes");
        return img;
    }

    private Set<String> keys() {
        return new TreeSet<>(cos.objects().keySet());
    }

    @Test
    void basicCleanWritesTheThreeOutputsAtTheirAbsoluteKeysAsRealPngs() throws Exception {
        cos.objects().put(INPUT, picture());
        List<String> keys = new CosImageProcessor(storage(KEY)).basicClean(INPUT, "output/42/");

        assertEquals(List.of("output/42/matting.png", "output/42/white-bg.png", "output/42/enhanced.png"), keys);
        // absolute fileids: nothing landed under the input's folder
        assertEquals(new TreeSet<>(List.of(INPUT, keys.get(0), keys.get(1), keys.get(2))), keys());
        assertEquals(List.of(), cos.rejections());

        BufferedImage matting = png(cos.objects().get(keys.get(0)));
        BufferedImage white = png(cos.objects().get(keys.get(1)));
        BufferedImage enhanced = png(cos.objects().get(keys.get(2)));
        for (BufferedImage img : List.of(matting, white, enhanced)) {
            assertEquals(160, img.getWidth());
            assertEquals(120, img.getHeight());
        }
        // the cut-out: background transparent, the shirt opaque
        assertEquals(0, matting.getRGB(2, 2) >>> 24);
        assertEquals(255, matting.getRGB(80, 70) >>> 24);
        // on white: the background white, the shirt still red
        assertEquals(0xffffff, white.getRGB(2, 2) & 0xffffff);
        assertEquals(0xffffff, white.getRGB(157, 117) & 0xffffff);
        Color shirt = new Color(white.getRGB(80, 70));
        assertTrue(shirt.getRed() > 150 && shirt.getGreen() < 90, "shirt " + shirt);
        // enhanced: same size, other pixels than the plain composite
        int differing = 0;
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                if (white.getRGB(x, y) != enhanced.getRGB(x, y)) {
                    differing++;
                }
            }
        }
        assertTrue(differing > 160 * 120 / 10, "enhanced differs in " + differing + " pixels");

        // two processing requests, signed (the fake checked them), documented rules, absolute fileids: the
        // cut-out from the input, then white background and enhanced from the cut-out at its own size
        List<FakeServer.Request> posts =
                cos.requests().stream().filter(r -> r.method().equals("POST")).toList();
        assertEquals(2, posts.size());
        assertEquals(
                List.of("/" + INPUT, "/" + keys.get(0)),
                posts.stream().map(r -> r.decodedPath()).toList());
        List<JsonNode> rules = new ArrayList<>();
        for (FakeServer.Request post : posts) {
            assertTrue(post.query("image_process").isPresent());
            assertTrue(post.header("Authorization").orElseThrow().startsWith("q-sign-algorithm=sha1&"));
            JsonNode ops =
                    new ObjectMapper().readTree(post.header("Pic-Operations").orElseThrow());
            assertEquals(1, ops.get("is_pic_info").asInt());
            ops.get("rules").forEach(rules::add);
        }
        assertEquals(3, rules.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(BUCKET, rules.get(i).get("bucket").asText());
            assertEquals("/" + keys.get(i), rules.get(i).get("fileid").asText());
        }
        assertEquals("ci-process=GoodsMatting", rules.get(0).get("rule").asText());
        assertEquals(
                "imageMogr2/thumbnail/160x120/pad/1/color/I0ZGRkZGRg/format/png",
                rules.get(1).get("rule").asText());
        assertEquals(
                "imageMogr2/thumbnail/160x120/pad/1/color/I0ZGRkZGRg/format/png/sharpen/70/bright/6/contrast/10",
                rules.get(2).get("rule").asText());
    }

    @Test
    void aWrongSecretKeyIsRefusedByCosAndIsPermanent() throws Exception {
        cos.objects().put(INPUT, picture());
        ProviderException e = assertThrows(
                ProviderException.class,
                () -> new CosImageProcessor(storage("another-secret-key")).basicClean(INPUT, "output/42/"));
        assertFalse(e.isTransient());
        assertFalse(cos.rejections().isEmpty());
        assertEquals(Set.of(INPUT), keys());
        assertFalse(e.getMessage().contains("another-secret-key"));
    }

    @Test
    void aServerErrorIsTransientAndALaterAttemptSucceeds() throws Exception {
        cos.objects().put(INPUT, picture());
        CosImageProcessor processor = new CosImageProcessor(storage(KEY));
        failNext.set(100);
        ProviderException e = assertThrows(ProviderException.class, () -> processor.basicClean(INPUT, "output/43/"));
        assertTrue(e.isTransient(), e.getMessage());
        assertEquals(Set.of(INPUT), keys());
        failNext.set(0);
        assertEquals(3, processor.basicClean(INPUT, "output/43/").size());
        assertEquals(4, keys().size());
    }

    @Test
    void aFailureAfterTheCutOutIsTransientAndTheRetryRewritesTheSameKeys() throws Exception {
        cos.objects().put(INPUT, picture());
        CosImageProcessor processor = new CosImageProcessor(storage(KEY));
        failSource = "output/47/matting.png";
        ProviderException e = assertThrows(ProviderException.class, () -> processor.basicClean(INPUT, "output/47/"));
        assertTrue(e.isTransient(), e.getMessage());
        // the cut-out was written, the rest not
        assertEquals(Set.of(INPUT, "output/47/matting.png"), keys());
        failSource = null;
        assertEquals(
                List.of("output/47/matting.png", "output/47/white-bg.png", "output/47/enhanced.png"),
                processor.basicClean(INPUT, "output/47/"));
        assertEquals(4, keys().size());
        assertEquals(0xffffff, png(cos.objects().get("output/47/white-bg.png")).getRGB(1, 1) & 0xffffff);
    }

    @Test
    void aClientErrorFromImageProcessingIsPermanent() throws Exception {
        cos.objects().put(INPUT, picture());
        failStatus = 403;
        failNext.set(1);
        ProviderException e = assertThrows(
                ProviderException.class, () -> new CosImageProcessor(storage(KEY)).basicClean(INPUT, "output/44/"));
        assertFalse(e.isTransient(), e.getMessage());
        assertTrue(e.getMessage().contains("403"), e.getMessage());
    }

    @Test
    void aMissingOrNonImageInputIsPermanent() {
        CosImageProcessor processor = new CosImageProcessor(storage(KEY));
        assertFalse(assertThrows(ProviderException.class, () -> processor.basicClean(INPUT, "output/45/"))
                .isTransient());
        cos.objects().put(INPUT, "not an image at all".getBytes(StandardCharsets.UTF_8));
        assertFalse(assertThrows(ProviderException.class, () -> processor.basicClean(INPUT, "output/45/"))
                .isTransient());
        assertEquals(Set.of(INPUT), keys());
    }

    @Test
    void noAnswerIsTransient() throws Exception {
        CosImageProcessor processor = new CosImageProcessor(storage(KEY));
        cos.close();
        ProviderException e = assertThrows(ProviderException.class, () -> processor.basicClean(INPUT, "output/46/"));
        assertTrue(e.isTransient(), e.getMessage());
    }

    // the fake's image_process as COS documents it, through the SDK's processImage

    private static PicOperations ops(List<String[]> rules) {
        List<PicOperations.Rule> list = new ArrayList<>();
        for (String[] r : rules) {
            PicOperations.Rule rule = new PicOperations.Rule();
            rule.setBucket(BUCKET);
            rule.setFileId(r[0]);
            rule.setRule(r[1]);
            list.add(rule);
        }
        PicOperations ops = new PicOperations();
        ops.setRules(list);
        return ops;
    }

    private CIUploadResult process(List<String[]> rules) {
        ImageProcessRequest req = new ImageProcessRequest(BUCKET, INPUT);
        req.setPicOperations(ops(rules));
        return storage(KEY).client().processImage(req);
    }

    @Test
    void theFakeWritesARelativeFileidUnderTheSourceFolderLikeCos() throws Exception {
        cos.objects().put(INPUT, picture());
        CIUploadResult result = process(List.<String[]>of(
                new String[] {"cut.png", "ci-process=GoodsMatting"},
                new String[] {"/output/9/sharp.png", "imageMogr2/sharpen/70"}));
        assertEquals(
                List.of("input/7/20260101/cut.png", "output/9/sharp.png"),
                result.getProcessResults().getObjectList().stream()
                        .map(o -> o.getKey())
                        .toList());
        assertEquals(160, result.getProcessResults().getObjectList().get(1).getWidth());
        png(cos.objects().get("input/7/20260101/cut.png"));
        png(cos.objects().get("output/9/sharp.png"));
    }

    @Test
    void theFakeRefusesMoreThanFiveRulesAndUndocumentedOperationsWritingNothing() throws Exception {
        cos.objects().put(INPUT, picture());
        List<String[]> six = new ArrayList<>();
        for (int i = 0; i < FakeCos.MAX_RULES + 1; i++) {
            six.add(new String[] {"/output/9/" + i + ".png", "imageMogr2/bright/10"});
        }
        assertEquals(
                400, assertThrows(CosServiceException.class, () -> process(six)).getStatusCode());
        // an operation name no Tencent document has (as the old service sent), after a valid rule
        assertEquals(
                400,
                assertThrows(
                                CosServiceException.class,
                                () -> process(List.<String[]>of(
                                        new String[] {"/output/9/a.png", "imageMogr2/sharpen/70"},
                                        new String[] {"/output/9/b.png", "imageMogr2/whiten/1"})))
                        .getStatusCode());
        assertEquals(
                400,
                assertThrows(
                                CosServiceException.class,
                                () -> process(
                                        List.<String[]>of(new String[] {"/output/9/a.png", "imageMogr2/sharpen/500"})))
                        .getStatusCode());
        assertEquals(Set.of(INPUT), keys());
        assertEquals(List.of(), cos.rejections());
    }
}
