package io.parsimony.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.nn.data.IdxReader;
import io.parsimony.nn.data.ImageSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** export and predict through the real command line, on a run trained on real Fashion-MNIST images. */
class ExportCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TEST_IMAGES = 100;

    @TempDir
    static Path tmp;
    static Path data, run, pngs;
    static ImageSet test;

    @BeforeAll
    static void trainAndWritePngs() throws Exception {
        data = tmp.resolve("fashion-slice");
        CliFuzzTest.writeFashionSlice(data, 2000, TEST_IMAGES);
        run = tmp.resolve("run");
        CliRun train = CliRun.of("train", "--data", data.toString(), "-m", "plain:8,12,16,20", "--epochs", "1",
                "--steps", "25", "--batch", "64", "--lr", "0.05", "--val-fraction", "0", "--run", run.toString(), "-q");
        assertEquals(0, train.exitCode(), train.err());
        test = IdxReader.read(data.resolve("t10k-images-idx3-ubyte.gz"), data.resolve("t10k-labels-idx1-ubyte.gz"), "test",
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        pngs = Files.createDirectories(tmp.resolve("pngs"));
        for (int i = 0; i < test.size(); i++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    img.getRaster().setSample(x, y, 0, test.pixel(i, 0, y, x));
                }
            }
            ImageIO.write(img, "png", pngs.resolve(String.format("img%03d.png", i)).toFile());
        }
    }

    /** Share of PNGs whose predicted top class is the true label. */
    private static double top1(JsonNode predictions) {
        assertEquals(TEST_IMAGES, predictions.size());
        int hits = 0;
        for (int i = 0; i < predictions.size(); i++) {
            JsonNode p = predictions.get(i);
            assertTrue(p.get("image").asText().endsWith(String.format("img%03d.png", i)));
            hits += p.get("top").get(0).get("index").asInt() == test.labels()[i] ? 1 : 0;
        }
        return hits / (double) predictions.size();
    }

    @Test
    void predictOnPngsGivesEvaluatesTop1FromTheRunAndFromItsOnnxFile() throws Exception {
        CliRun evaluate = CliRun.of("evaluate", "--run", run.toString(), "--data", data.toString(), "--json");
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        double expected = JSON.readTree(evaluate.out()).get("top1").asDouble();
        assertTrue(expected > 0.3, "the run learnt something: top-1 " + expected);

        CliRun fromRun = CliRun.of("predict", "--run", run.toString(), "--top", "1", "--json", pngs.toString());
        assertEquals(0, fromRun.exitCode(), fromRun.err());
        assertEquals(expected, top1(JSON.readTree(fromRun.out())), 1e-9);

        Path onnx = tmp.resolve("plain.onnx");
        CliRun export = CliRun.of("export", "--run", run.toString(), "--format", "onnx", "--fold-bn", "-o", onnx.toString());
        assertEquals(0, export.exitCode(), export.err());
        assertTrue(export.out().startsWith("wrote " + onnx + ": "), export.out());
        CliRun fromOnnx = CliRun.of("predict", "--onnx", onnx.toString(), "--top", "1", "--json", pngs.toString());
        assertEquals(0, fromOnnx.exitCode(), fromOnnx.err());
        assertEquals(expected, top1(JSON.readTree(fromOnnx.out())), 1e-9);

        CliRun text = CliRun.of("predict", "--onnx", onnx.toString(), "--top", "2", pngs.resolve("img000.png").toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().matches("(?s).*img000\\.png: \\S.* \\d+\\.\\d%, \\S.* \\d+\\.\\d%\\n"), text.out());
    }

    @Test
    void badInputsEndInOneLineAndExitTwo() throws Exception {
        Path wrongSize = tmp.resolve("big.png");
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY), "png", wrongSize.toFile());
        Path rgb = tmp.resolve("rgb.png");
        ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB), "png", rgb.toFile());
        Path corrupt = tmp.resolve("corrupt.onnx");
        Files.write(corrupt, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Path empty = Files.createDirectories(tmp.resolve("empty-run"));
        assertOneLine(CliRun.of("predict", "--run", run.toString(), wrongSize.toString()), "is 32x32 pixels but the network takes 28x28");
        assertOneLine(CliRun.of("predict", "--run", run.toString(), rgb.toString()), "has 3 colour channels but the network takes 1");
        assertOneLine(CliRun.of("predict", "--onnx", corrupt.toString(), pngs.toString()), "is not a valid ONNX model");
        assertOneLine(CliRun.of("export", "--run", empty.toString()), "no checkpoint at");
        assertOneLine(CliRun.of("export", "--run", run.toString(), "--opset", "9", "-o", tmp.resolve("x.onnx").toString()),
                "opset 9 is not supported");
        assertOneLine(CliRun.of("predict", "--run", run.toString(), "--onnx", corrupt.toString(), rgb.toString()),
                "mutually exclusive");
        assertTrue(Files.notExists(tmp.resolve("x.onnx")));
    }

    private static void assertOneLine(CliRun r, String fragment) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("parsimony: error: ") && lines.get(0).contains(fragment), lines.get(0));
    }
}
