package io.parsimony.export.predict;

import java.util.List;

/** The top classes of one image, most probable first (softmax of the logits). */
public record Prediction(String image, List<Ranked> top) {

    /** One class: its index, name and probability. */
    public record Ranked(int index, String name, double probability) {
    }
}
