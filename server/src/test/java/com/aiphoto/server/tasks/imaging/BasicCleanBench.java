package com.aiphoto.server.tasks.imaging;

import java.util.Arrays;

/**
 * Times {@link BasicCleanImages#process} on a generated 2000 x 2000 JPEG (the figure: < 1.5 s), run by
 * deploy/bench/basic-clean.sh. Prints the figures; asserts nothing.
 *
 * <p>Arguments: size (2000), warm-up runs (3), measured runs (7).
 */
public final class BasicCleanBench {
    private BasicCleanBench() {}

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        TestPictures.Picture pic = TestPictures.shirt(size);
        byte[] jpeg = TestPictures.jpeg(pic.image(), 0.9f);
        BasicCleanImages images = new BasicCleanImages();
        BasicCleanImages.Outputs out = null;
        for (int i = 0; i < warmup; i++) {
            out = images.process(jpeg);
        }
        long[] ms = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            out = images.process(jpeg);
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(ms);
        double iou = BasicCleanImagesTest.iou(
                BasicCleanImagesTest.alphaMask(BasicCleanImagesTest.decode(out.matting())), pic.mask());
        System.out.printf(
                "basic_clean %dx%d JPEG (%d KB): median %d ms, min %d ms, max %d ms over %d runs (%d warm-up);"
                        + " outputs %d/%d/%d KB; mask IoU %.4f%n",
                size,
                size,
                jpeg.length / 1024,
                ms[runs / 2],
                ms[0],
                ms[runs - 1],
                runs,
                warmup,
                out.matting().length / 1024,
                out.whiteBackground().length / 1024,
                out.enhanced().length / 1024,
                iou);
    }
}
