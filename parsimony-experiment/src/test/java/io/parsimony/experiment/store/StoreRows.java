package io.parsimony.experiment.store;

import io.parsimony.experiment.store.ResultStore.RunRow;

import java.nio.file.Path;

/** Made-up rows for store tests, and a main that writes many of them (run as a separate process). */
public final class StoreRows {

    static final String PAYLOAD_UNIT = "0123456789abcdef";

    private StoreRows() {
    }

    /** A finished run whose {@code error} column carries a payload of known length (to spot torn rows). */
    public static RunRow row(long sweepId, String key, int position, double energy, double top1, String worker, int payloadUnits) {
        String ts = java.time.Instant.now().toString();
        return new RunRow(sweepId, key, position, position % 4 == 0 ? "top" : "random", "plain:" + position, "{}",
                "(" + position + ")", 1000L + position, 38_592, energy, "fashion-mnist", "{\"lr\":0.1}", 0, "done", top1,
                Math.min(1, top1 + 0.1), 0.5, 1000, 1, 10L, 1.0, 1.5, false, PAYLOAD_UNIT.repeat(payloadUnits), worker,
                "host", "test", "runs/" + key, ts, ts);
    }

    static long sweep(ResultStore s) {
        return s.upsertSweep("hammer", "energy", "hammer test", "{}", 0, "parsimony sweep energy", "runs", "test");
    }

    /** args: store, worker name, first index, count, payload units. Keys "k&lt;index&gt;". */
    public static void main(String[] args) {
        Path store = Path.of(args[0]);
        String worker = args[1];
        int first = Integer.parseInt(args[2]), count = Integer.parseInt(args[3]), payload = Integer.parseInt(args[4]);
        try (ResultStore s = ResultStore.open(store)) {
            long id = sweep(s);
            System.out.println("ready");
            System.out.flush();
            for (int i = first; i < first + count; i++) {
                s.record(row(id, "k" + i, i, i, 0.5, worker, payload));
            }
        }
    }
}
