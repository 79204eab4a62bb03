package io.parsimony.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Utils;
import org.junit.jupiter.api.Test;

/**
 * Loads the real PyTorch engine from the Maven native jar, with downloads forbidden, and runs one tensor op.
 */
class EngineSmokeTest {

    static {
        // Surefire sets this already (parent pom); set it too when the test is run from an IDE.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    @Test
    void pytorchEngineLoadsOfflineAndMultipliesMatrices() {
        assertTrue(Utils.isOfflineMode(), "DJL must run in offline mode (no native download)");

        Engine engine = Engine.getInstance();
        assertEquals("PyTorch", engine.getEngineName());
        // The pom passes ${pytorch.version}; 2.7.1 is the project's default (parent pom).
        String expected = System.getProperty("parsimony.pytorch.version", "2.7.1");
        assertTrue(engine.getVersion().startsWith(expected),
                () -> "expected PyTorch " + expected + ", loaded " + engine.getVersion());

        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray b = manager.create(new float[] {7, 8, 9, 10, 11, 12}, new Shape(3, 2));
            NDArray c = a.matMul(b);

            assertEquals(new Shape(2, 2), c.getShape());
            assertEquals(DataType.FLOAT32, c.getDataType());
            // [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154], exact in float32.
            assertArrayEquals(new float[] {58f, 64f, 139f, 154f}, c.toFloatArray(), 0f);
        }
    }
}
