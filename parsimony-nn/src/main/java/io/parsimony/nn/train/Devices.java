package io.parsimony.nn.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.parsimony.InputException;

import java.util.Locale;

/** The device named by a recipe ({@code cpu}, {@code gpu}/{@code cuda}), refused when the engine has none. */
public final class Devices {

    private Devices() {
    }

    public static Device of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> {
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new InputException("--device gpu: PyTorch sees no GPU with the loaded natives; install CUDA natives "
                            + "(README, 'Running on a GPU') or use --device cpu");
                }
                yield Device.gpu();
            }
            default -> throw new InputException("unknown device '" + name + "': use cpu or gpu");
        };
    }
}
