package io.parsimony.nn.train;

import io.parsimony.InputException;

import java.util.Arrays;
import java.util.Locale;

/**
 * Learning rate per epoch: constant, step (×gamma every {@code every} epochs), multi-step
 * (×gamma at each milestone epoch) — seed 001 trains at 0.1 with ×0.1 decays — or cosine
 * annealing over {@code every} epochs (what a long final training is usually given: no
 * milestones to tune, and it ends near zero). Text form: {@code constant}, {@code step:EVERY:GAMMA},
 * {@code multistep:M1,M2:GAMMA}, {@code cosine:EPOCHS}.
 */
public record LrSchedule(Kind kind, int every, int[] milestones, double gamma) {

    public enum Kind { CONSTANT, STEP, MULTISTEP, COSINE }

    public static final LrSchedule CONSTANT = new LrSchedule(Kind.CONSTANT, 0, new int[0], 1);

    /** Learning rate for 0-based {@code epoch}. */
    public double lr(double base, int epoch) {
        return switch (kind) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(gamma, epoch / every);
            case MULTISTEP -> base * Math.pow(gamma, Arrays.stream(milestones).filter(m -> epoch >= m).count());
            case COSINE -> base * 0.5 * (1 + Math.cos(Math.PI * Math.min(epoch, every) / every));
        };
    }

    /** Cosine annealing from the base rate at epoch 0 towards 0 at epoch {@code epochs}. */
    public static LrSchedule cosine(int epochs) {
        if (epochs < 1) {
            throw new InputException("a cosine schedule needs a length ≥ 1 epoch, got " + epochs);
        }
        return new LrSchedule(Kind.COSINE, epochs, new int[0], 0);
    }

    public static LrSchedule parse(String text) {
        String[] p = text.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            return switch (p[0]) {
                case "constant" -> CONSTANT;
                case "step" -> {
                    int every = Integer.parseInt(p[1]);
                    if (every < 1) {
                        throw new InputException("step schedule needs a period ≥ 1 epoch, got " + every);
                    }
                    yield new LrSchedule(Kind.STEP, every, new int[0], Double.parseDouble(p[2]));
                }
                case "multistep" -> new LrSchedule(Kind.MULTISTEP, 0,
                        Arrays.stream(p[1].split(",")).mapToInt(s -> Integer.parseInt(s.trim())).sorted().toArray(),
                        Double.parseDouble(p[2]));
                case "cosine" -> cosine(Integer.parseInt(p[1]));
                default -> throw new InputException("unknown schedule '" + text
                        + "': use constant, step:EVERY:GAMMA, multistep:M1,M2:GAMMA or cosine:EPOCHS");
            };
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new InputException("cannot read schedule '" + text
                    + "': write step:EVERY:GAMMA (e.g. step:2:0.1), multistep:M1,M2:GAMMA (e.g. multistep:3,4:0.1) or cosine:EPOCHS "
                    + "(e.g. cosine:30)");
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CONSTANT -> "constant";
            case STEP -> "step:" + every + ":" + gamma;
            case MULTISTEP -> "multistep:" + String.join(",", Arrays.stream(milestones).mapToObj(String::valueOf).toList()) + ":" + gamma;
            case COSINE -> "cosine:" + every;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LrSchedule s && s.kind == kind && s.every == every && s.gamma == gamma
                && Arrays.equals(s.milestones, milestones);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + every;
    }
}
