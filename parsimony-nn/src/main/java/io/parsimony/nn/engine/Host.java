package io.parsimony.nn.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The facts a figure depends on besides the code: the processor (model, family and the vector
 * extensions oneDNN chooses kernels by), the library versions and the intra-op threads. What the
 * numerics check is cached by and what every run records as provenance: the same engine is known
 * to compute differently on different CPUs.
 *
 * @param cpu        the processor's model name ({@code /proc/cpuinfo}), or the JVM's architecture elsewhere
 * @param family     vendor, family, model and stepping, e.g. "AuthenticAMD family 26 model 2 stepping 1"
 * @param isa        the vector extensions among those oneDNN dispatches on, in a fixed order
 * @param threads    the engine's intra-op threads
 * @param djl        DJL's version
 * @param libtorch   the PyTorch natives' version
 * @param onednn     the oneDNN those natives bundle (from PyTorch's release notes; not queryable through DJL)
 * @param isaLimit   {@code ONEDNN_MAX_CPU_ISA} if set, else "" (it changes which kernels run)
 * @param gpus       the GPUs the loaded natives see
 */
public record Host(String cpu, String family, List<String> isa, int threads, String djl, String libtorch, String onednn,
                   String isaLimit, int gpus) {

    /** The extensions shown (oneDNN's dispatch levels and the ones the failing hosts were seen with). */
    private static final List<String> SHOWN = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl",
            "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx512_vp2intersect", "amx_tile", "amx_bf16");

    private static final Map<String, String> ONEDNN_OF_LIBTORCH = Map.of("2.7.1", "3.7.1", "2.5.1", "3.5.3",
            "2.4.0", "3.4.2", "2.3.1", "3.3.6");

    /** This machine as the loaded engine sees it (loads the engine). */
    public static Host current() {
        Map<String, String> info = cpuInfo();
        String cpu = info.getOrDefault("model name", System.getProperty("os.arch"));
        String family = info.isEmpty() ? System.getProperty("os.name")
                : String.join(" ", info.getOrDefault("vendor_id", "?"), "family", info.getOrDefault("cpu family", "?"),
                "model", info.getOrDefault("model", "?"), "stepping", info.getOrDefault("stepping", "?"));
        Set<String> flags = Set.of(info.getOrDefault("flags", "").split("\\s+"));
        List<String> isa = new ArrayList<>();
        for (String f : SHOWN) {
            if (flags.contains(f)) {
                isa.add(f);
            }
        }
        Engine engine = Engine.getInstance();
        String libtorch = engine.getVersion();
        int threads = "PyTorch".equals(engine.getEngineName()) ? JniUtils.getNumThreads() : Runtime.getRuntime().availableProcessors();
        return new Host(cpu.strip(), family, List.copyOf(isa), threads, Engine.getDjlVersion(), libtorch,
                ONEDNN_OF_LIBTORCH.getOrDefault(libtorch, "unknown"), System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", ""),
                engine.getGpuCount());
    }

    /** One line for notices and tables, e.g. "AMD EPYC 9R45 (AuthenticAMD family 26 model 2 stepping 1), 2 threads". */
    public String describe() {
        return cpu + " (" + family + "), " + threads + " threads" + (isaLimit.isEmpty() ? "" : ", ONEDNN_MAX_CPU_ISA=" + isaLimit);
    }

    /** A short stable key of everything here plus every CPU flag: what a cached verdict is valid for. */
    String key(int checkVersion) {
        String flags = cpuInfo().getOrDefault("flags", "");
        String all = String.join("|", cpu, family, flags, String.valueOf(threads), djl, libtorch, isaLimit,
                String.valueOf(checkVersion));
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(all.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first processor's fields of {@code /proc/cpuinfo} (empty where there is none). */
    private static Map<String, String> cpuInfo() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.isBlank() && !out.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    out.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or not readable: the JVM's architecture stands in
        }
        return out;
    }
}
