package com.aiphoto.server.tasks.imaging;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * model_pose12 without RunningHub: the local engine derives {@code count} distinct images from the input. Each is
 * the input's cut-out ({@link CutOut}) placed on its own background colour (hues spread around the colour
 * wheel, alternating light and mid tones), mirrored on every other image, turned by a few degrees, scaled and
 * shifted, and lightly tinted: a stand-in for real poses that exercises the same path (12 PNGs of the input's
 * size).
 */
public final class PoseImages {
    /** More would be no stand-in for a pose set; the caller asks for 12. */
    static final int MAX_COUNT = 64;

    public PoseImages() {}

    /**
     * PNG bytes of {@code count} images derived from {@code input} (JPEG, PNG or WebP bytes).
     *
     * @throws ImagingException the bytes are not a readable image (permanent)
     */
    public List<byte[]> derive(byte[] input, int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be within 1.." + MAX_COUNT + ": " + count);
        }
        Pixels src = Pixels.decode(input);
        int w = src.width();
        int h = src.height();
        byte[] alpha = CutOut.alpha(src);
        int[] px = src.argb();
        for (int i = 0; i < px.length; i++) {
            int a = (alpha[i] & 0xff) * (px[i] >>> 24) / 255;
            px[i] = (a << 24) | (px[i] & 0xffffff);
        }
        BufferedImage cutOut = Pixels.image(w, h, px, true);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(Pixels.png(variant(cutOut, i, count)));
        }
        return out;
    }

    private static BufferedImage variant(BufferedImage cutOut, int i, int count) {
        int w = cutOut.getWidth();
        int h = cutOut.getHeight();
        float hue = (float) i / count;
        Color background = Color.getHSBColor(hue, i % 2 == 0 ? 0.18f : 0.35f, i % 2 == 0 ? 0.96f : 0.82f);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
            g.setColor(background);
            g.fillRect(0, 0, w, h);
            double angle = Math.toRadians(((i * 7) % 13 - 6) * 1.5);
            double scale = 0.78 + 0.04 * (i % 5);
            double dx = w * 0.04 * ((i % 3) - 1);
            double dy = h * 0.03 * (((i / 3) % 3) - 1);
            AffineTransform t = new AffineTransform();
            t.translate(w / 2.0 + dx, h / 2.0 + dy);
            t.rotate(angle);
            t.scale(i % 2 == 1 ? -scale : scale, scale);
            t.translate(-w / 2.0, -h / 2.0);
            g.drawImage(cutOut, t, null);
            // a light wash of the background's hue over the whole picture, as a different light would give
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.08f));
            g.setColor(Color.getHSBColor(hue, 0.6f, 0.9f));
            g.fillRect(0, 0, w, h);
        } finally {
            g.dispose();
        }
        return img;
    }
}
