package com.aiphoto.server.tasks.cos;

import com.aiphoto.core.storage.CosObjectStorage;
import com.aiphoto.core.storage.StorageException;
import com.aiphoto.server.tasks.ProviderException;
import com.qcloud.cos.exception.CosClientException;
import com.qcloud.cos.exception.CosServiceException;
import com.qcloud.cos.model.ciModel.common.ImageProcessRequest;
import com.qcloud.cos.model.ciModel.persistence.CIObject;
import com.qcloud.cos.model.ciModel.persistence.CIUploadResult;
import com.qcloud.cos.model.ciModel.persistence.PicOperations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * basic_clean on COS: Tencent Cloud image processing (cos_api's processImage with PicOperations) writes the
 * three outputs next to each other under the task's output prefix.
 *
 * <p>One {@code POST /<input>?image_process} with three rules, each documented by Tencent: the cut-out is
 * {@code ci-process=GoodsMatting}; the white background pipes the cut-out ({@code |}) into {@code imageMogr2}
 * {@code thumbnail/<W>x<H>} at the input's own size with {@code pad/1/color/<#FFFFFF, URL-safe Base64>}, which
 * lays it on a white canvas; the enhanced image adds {@code sharpen/70} (Tencent's recommended value),
 * {@code bright} and {@code contrast}. Every {@code fileid} is absolute (a leading {@code /}): a relative one
 * would land under the input's folder.
 */
public final class CosImageProcessor {
    static final String MATTING = "matting.png";
    static final String WHITE_BACKGROUND = "white-bg.png";
    static final String ENHANCED = "enhanced.png";

    /** Enough of a JPEG, PNG or WebP for its header (the size); a JPEG with a larger EXIF block is read whole. */
    private static final int HEADER_BYTES = 64 * 1024;

    private static final String WHITE =
            Base64.getUrlEncoder().withoutPadding().encodeToString("#FFFFFF".getBytes(StandardCharsets.US_ASCII));

    private final CosObjectStorage storage;

    public CosImageProcessor(CosObjectStorage storage) {
        this.storage = storage;
    }

    /**
     * Processes {@code inputKey} into {@code outputPrefix + "matting.png"}, {@code "white-bg.png"} and
     * {@code "enhanced.png"} ({@code outputPrefix} is {@code output/<taskId>/}) and returns those three keys
     * in that order, as COS's UploadResult reports them.
     *
     * @throws com.aiphoto.server.tasks.ProviderException transient (network, 5xx) or permanent (4xx, bad input)
     */
    public List<String> basicClean(String inputKey, String outputPrefix) {
        List<String> keys = List.of(outputPrefix + MATTING, outputPrefix + WHITE_BACKGROUND, outputPrefix + ENHANCED);
        Size size = size(inputKey);
        PicOperations ops = new PicOperations();
        ops.setIsPicInfo(1);
        ops.setRules(rules(storage.config().bucket(), keys, size));
        ImageProcessRequest req = new ImageProcessRequest(storage.config().bucket(), inputKey);
        req.setPicOperations(ops);
        CIUploadResult result;
        try {
            result = storage.client().processImage(req);
        } catch (CosServiceException e) {
            throw failure("COS image processing of " + inputKey, e);
        } catch (CosClientException e) {
            // no answer (connection refused or reset, timeout) or an answer the SDK could not read
            throw ProviderException.transientFailure(
                    "COS image processing of " + inputKey + " got no answer: " + e.getMessage(), e);
        }
        return reported(result, keys);
    }

    /** The three rules, in the order of {@code keys}. */
    static List<PicOperations.Rule> rules(String bucket, List<String> keys, Size size) {
        String onWhite = "ci-process=GoodsMatting|imageMogr2/thumbnail/" + size.width() + "x" + size.height()
                + "/pad/1/color/" + WHITE + "/format/png";
        return List.of(
                rule(bucket, keys.get(0), "ci-process=GoodsMatting"),
                rule(bucket, keys.get(1), onWhite),
                rule(bucket, keys.get(2), onWhite + "/sharpen/70/bright/6/contrast/10"));
    }

    private static PicOperations.Rule rule(String bucket, String key, String rule) {
        PicOperations.Rule r = new PicOperations.Rule();
        r.setBucket(bucket);
        r.setFileId("/" + key);
        r.setRule(rule);
        return r;
    }

    /** The keys COS reports having written, checked against the three asked for, in that order. */
    private static List<String> reported(CIUploadResult result, List<String> keys) {
        List<String> written = new ArrayList<>();
        if (result != null && result.getProcessResults() != null) {
            List<CIObject> objects = result.getProcessResults().getObjectList();
            if (objects != null) {
                for (CIObject o : objects) {
                    if (o.getKey() != null) {
                        written.add(o.getKey().startsWith("/") ? o.getKey().substring(1) : o.getKey());
                    }
                }
            }
        }
        if (!written.containsAll(keys)) {
            // rewriting the same three keys is harmless, so another attempt may complete it
            throw ProviderException.transientFailure("COS image processing reported " + written + ", not " + keys);
        }
        return keys;
    }

    record Size(int width, int height) {}

    /** The input's size from its header (a ranged GET), or from the whole object when the header is further. */
    private Size size(String inputKey) {
        try {
            Optional<byte[]> head = storage.head(inputKey, HEADER_BYTES);
            if (head.isEmpty()) {
                throw ProviderException.permanent("input " + inputKey + " does not exist");
            }
            Optional<Size> size = readSize(head.get());
            if (size.isEmpty() && head.get().length >= HEADER_BYTES) {
                size = storage.get(inputKey).flatMap(CosImageProcessor::readSize);
            }
            return size.orElseThrow(() -> ProviderException.permanent("input " + inputKey + " is not an image"));
        } catch (StorageException e) {
            throw failure("reading input " + inputKey, e.getCause() == null ? e : e.getCause());
        }
    }

    static Optional<Size> readSize(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            if (in == null) {
                return Optional.empty();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return Optional.of(new Size(reader.getWidth(0), reader.getHeight(0)));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // a truncated or corrupt header: the caller reads more or gives up
            return Optional.empty();
        }
    }

    /** 5xx, 429 (slow down) and no answer are worth another attempt; other 4xx are not (signature, key, rule). */
    private static ProviderException failure(String what, Throwable e) {
        if (e instanceof CosServiceException s) {
            int status = s.getStatusCode();
            String message = what + " failed: HTTP " + status + " " + s.getErrorCode();
            return status >= 500 || status == 429
                    ? ProviderException.transientFailure(message, e)
                    : ProviderException.permanent(message, e);
        }
        return ProviderException.transientFailure(what + " failed: " + e.getMessage(), e);
    }
}
