package io.parsimony.nn.engine;

import ai.djl.Device;

/**
 * Where a figure was computed: the host (CPU, libraries, threads), the device, the memory format
 * and what the numerics check said, so a reported accuracy can be traced to a host the check
 * vouched for. Recorded in every run's {@code result.json} and store row.
 *
 * @param numerics the check's one-line verdict ({@link Numerics.Status#summary()})
 * @param remedy   the configuration the run computed with ({@link Remedy#label()})
 */
public record Provenance(Host host, String device, String memoryFormat, String numerics, String remedy) {

    /** This process on the engine's default device. */
    public static Provenance current() {
        return current(ai.djl.engine.Engine.getInstance().defaultDevice());
    }

    /** This process on {@code device}: runs the numerics check first if it has not run. */
    public static Provenance current(Device device) {
        Numerics.Status s = Numerics.ensureChecked();
        return new Provenance(s.host(), device.toString(), MemoryFormat.forDevice(device).label(), s.summary(),
                s.remedy().label());
    }
}
