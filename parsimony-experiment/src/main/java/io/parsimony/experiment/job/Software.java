package io.parsimony.experiment.job;

import io.parsimony.nn.engine.Provenance;

import java.io.InputStream;
import java.util.Properties;

/** The versions that produced a result, recorded with every run. */
public final class Software {
    private Software() {
    }

    /** Parsimony's version (from the jar's Maven metadata; "dev" when run from class directories). */
    public static String parsimonyVersion() {
        String v = Software.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (InputStream in = Software.class.getResourceAsStream(
                "/META-INF/maven/io.parsimony/parsimony-experiment/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (java.io.IOException ignored) {
            // fall through
        }
        return "dev";
    }

    /** Parsimony, DJL and Java versions, without loading the engine. */
    public static String describe() {
        return "parsimony " + parsimonyVersion() + ", DJL " + ai.djl.engine.Engine.getDjlVersion()
                + ", Java " + System.getProperty("java.version");
    }

    /** As {@link #describe()} plus the loaded engine's version (loads the engine). */
    public static String describeWithEngine() {
        String engine;
        try {
            ai.djl.engine.Engine e = ai.djl.engine.Engine.getInstance();
            engine = e.getEngineName() + " " + e.getVersion();
            if ("PyTorch".equals(e.getEngineName())) {
                // results depend (in the last digits) on the intra-op thread count: record it
                engine += ", " + ai.djl.pytorch.jni.JniUtils.getNumThreads() + " intra-op threads";
            }
        } catch (RuntimeException | LinkageError e) {
            engine = "engine unavailable";
        }
        return describe() + ", " + engine + provenance();
    }

    /**
     * The CPU and the numerics check's verdict (runs the check if it has not run): the same code and
     * libraries compute differently on some CPUs, so a stored figure names the host that vouched for it.
     */
    private static String provenance() {
        try {
            Provenance p = Provenance.current();
            return "; cpu " + p.host().cpu() + " (" + p.host().family() + "); numerics " + p.numerics() + ", remedy "
                    + p.remedy();
        } catch (RuntimeException | LinkageError e) {
            return "";
        }
    }
}
