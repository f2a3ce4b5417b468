package com.aiphoto.server.tasks.cos;

import com.aiphoto.core.storage.CosObjectStorage;
import com.aiphoto.server.tasks.ProviderException;
import com.qcloud.cos.exception.CosClientException;
import com.qcloud.cos.exception.CosServiceException;
import com.qcloud.cos.model.ciModel.common.ImageProcessRequest;
import com.qcloud.cos.model.ciModel.persistence.CIObject;
import com.qcloud.cos.model.ciModel.persistence.CIUploadResult;
import com.qcloud.cos.model.ciModel.persistence.PicOperations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * basic_clean on COS: Tencent Cloud image processing (cos_api's processImage with PicOperations) writes the
 * three outputs next to each other under the task's output prefix.
 *
 * <p>Two {@code POST /<key>?image_process} calls, each rule an operation Tencent documents on its own: first
 * the cut-out, {@code ci-process=GoodsMatting}, into {@code matting.png}; then, from that cut-out, the white
 * background as {@code imageMogr2} "scaling in padding mode" at the cut-out's own size ({@code
 * thumbnail/<W>x<H>/pad/1/color/<#FFFFFF, URL-safe Base64>}, the size read from the first call's UploadResult),
 * and the enhanced image as the same plus {@code sharpen/70} (Tencent's recommended value), {@code bright} and
 * {@code contrast}. Chaining by a second call rather than a {@code |} pipeline after GoodsMatting keeps every
 * rule a documented one. Every {@code fileid} is absolute (a leading {@code /}): a relative one would land under
 * the source's folder. Both calls overwrite the same keys, so a retried task simply does them again.
 */
public final class CosImageProcessor {
    static final String MATTING = "matting.png";
    static final String WHITE_BACKGROUND = "white-bg.png";
    static final String ENHANCED = "enhanced.png";

    /** Sharpen, brightness and contrast of the enhanced image (Tencent's ranges: 10..300, -100..100). */
    static final String ENHANCE = "/sharpen/70/bright/6/contrast/10";

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
        String matting = outputPrefix + MATTING;
        String white = outputPrefix + WHITE_BACKGROUND;
        String enhanced = outputPrefix + ENHANCED;
        CIObject cut = process(inputKey, List.of(rule(matting, "ci-process=GoodsMatting")))
                .get(0);
        if (cut.getWidth() <= 0 || cut.getHeight() <= 0) {
            throw ProviderException.transientFailure("COS image processing reported no size for " + matting);
        }
        String onWhite = "imageMogr2/thumbnail/" + cut.getWidth() + "x" + cut.getHeight() + "/pad/1/color/" + WHITE
                + "/format/png";
        process(matting, List.of(rule(white, onWhite), rule(enhanced, onWhite + ENHANCE)));
        return List.of(matting, white, enhanced);
    }

    private PicOperations.Rule rule(String key, String rule) {
        PicOperations.Rule r = new PicOperations.Rule();
        r.setBucket(storage.config().bucket());
        r.setFileId("/" + key);
        r.setRule(rule);
        return r;
    }

    /** One image_process call; the objects COS reports, in the order of {@code rules}. */
    private List<CIObject> process(String source, List<PicOperations.Rule> rules) {
        PicOperations ops = new PicOperations();
        // as in all of Tencent's examples: the answer then also describes the source image
        ops.setIsPicInfo(1);
        ops.setRules(rules);
        ImageProcessRequest req = new ImageProcessRequest(storage.config().bucket(), source);
        req.setPicOperations(ops);
        CIUploadResult result;
        try {
            result = storage.client().processImage(req);
        } catch (CosServiceException e) {
            throw failure("COS image processing of " + source, e);
        } catch (CosClientException e) {
            // no answer (connection refused or reset, timeout) or an answer the SDK could not read
            throw ProviderException.transientFailure(
                    "COS image processing of " + source + " got no answer: " + e.getMessage(), e);
        }
        List<CIObject> reported = new ArrayList<>();
        List<CIObject> objects = result == null || result.getProcessResults() == null
                ? null
                : result.getProcessResults().getObjectList();
        for (PicOperations.Rule rule : rules) {
            String key = rule.getFileId().substring(1);
            CIObject found = null;
            for (CIObject o : objects == null ? List.<CIObject>of() : objects) {
                if (key.equals(o.getKey()) || rule.getFileId().equals(o.getKey())) {
                    found = o;
                }
            }
            if (found == null) {
                // rewriting the same keys is harmless, so another attempt may complete it
                throw ProviderException.transientFailure(
                        "COS image processing of " + source + " did not report " + key);
            }
            reported.add(found);
        }
        return reported;
    }

    /** 5xx and 429 (slow down) are worth another attempt; other 4xx are not (signature, key, rule, image). */
    private static ProviderException failure(String what, CosServiceException e) {
        int status = e.getStatusCode();
        String message = what + " failed: HTTP " + status + " " + e.getErrorCode();
        return status >= 500 || status == 429
                ? ProviderException.transientFailure(message, e)
                : ProviderException.permanent(message, e);
    }
}
