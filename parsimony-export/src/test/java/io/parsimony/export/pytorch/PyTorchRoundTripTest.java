package io.parsimony.export.pytorch;

import io.parsimony.export.SavedRun;
import io.parsimony.export.TrainedRuns;
import io.parsimony.export.graph.Network;
import io.parsimony.export.graph.Tensor;
import io.parsimony.nn.model.ModelSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated PyTorch module, run by Debian's python3-torch (/usr/bin/python3, installed by
 * bin/setup), must give Parsimony's logits on 100 real test images, hold each shared tensor once,
 * and fine-tune: a training step's gradient reaches the shared and base tensors.
 */
class PyTorchRoundTripTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final int IMAGES = 100;

    static Stream<ModelSpec> specs() {
        return Stream.of(TrainedRuns.PLAIN, TrainedRuns.RESNET, TrainedRuns.DACNN_MIX_REG, TrainedRuns.DACNN_GLOBAL,
                TrainedRuns.RESCALED, TrainedRuns.RESCALED_RESNET);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void pytorchGivesParsimonysLogitsAndFineTunes(ModelSpec spec, @TempDir Path tmp) throws Exception {
        Path run = TrainedRuns.of(spec);
        Path folder = tmp.resolve("export");
        float[] x = TrainedRuns.testPixels(IMAGES);
        float[] expected;
        Network net;
        try (SavedRun saved = SavedRun.open(run)) {
            expected = saved.logits(x, IMAGES);
            net = saved.network();
        }
        PyTorchExport.export(run, folder);
        Safetensors.write(tmp.resolve("input.safetensors"), Map.of("pixels", new Tensor("pixels",
                new long[] {IMAGES, 1, 28, 28}, x)));
        int[] labels = java.util.Arrays.copyOf(TrainedRuns.test().labels(), 8);
        String script = String.join("\n",
                "import sys, torch",
                "import torch.nn.functional as F",
                "sys.path.insert(0, sys.argv[1])",
                "import parsimony_model as m",
                "net = m.load(sys.argv[1])",
                "x = m.load_safetensors(sys.argv[2])['pixels']",
                "with torch.no_grad():",
                "    z = net(x)",
                "open(sys.argv[3], 'wb').write(z.contiguous().numpy().astype('<f4').tobytes())",
                "params = sum(p.numel() for p in net.parameters())",
                "net.train()",
                "loss = F.cross_entropy(net(x[:8]), torch.tensor(" + java.util.Arrays.toString(labels) + "))",
                "loss.backward()",
                "ungraded = [n for n, p in net.named_parameters() if p.grad is None or not torch.isfinite(p.grad).all()]",
                "print(params, len(m.CLASSES), len(ungraded))",
                "");
        Path py = tmp.resolve("check.py");
        Files.writeString(py, script);
        Path out = tmp.resolve("logits.bin");
        Process p = new ProcessBuilder(PYTHON.toString(), py.toString(), folder.toString(),
                tmp.resolve("input.safetensors").toString(), out.toString()).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "python3-torch (run bin/setup) failed:\n" + printed);

        float[] actual = read(out);
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= 1e-4, spec.describe() + ": max |Δlogit| = " + worst);

        String[] fields = printed.strip().lines().reduce((a, b) -> b).orElse("").split(" ");
        long trainable = net.tensors().stream().filter(t -> !t.name().endsWith(".mean") && !t.name().endsWith(".variance"))
                .mapToLong(Tensor::size).sum();
        assertEquals(trainable, Long.parseLong(fields[0]), "each distinct tensor is one parameter");
        assertEquals("10", fields[1]);
        assertEquals("0", fields[2], "every parameter gets a finite gradient");
    }

    private static float[] read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }
}
