package io.parsimony.nn.train;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON of training files (checkpoint headers, {@code metrics.jsonl}, {@code result.json}):
 * one mapper, so what is written and read back agree. Shared, so do not reconfigure it; take
 * {@code MAPPER.copy()} for a variant.
 */
public final class TrainingJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private TrainingJson() {
    }
}
