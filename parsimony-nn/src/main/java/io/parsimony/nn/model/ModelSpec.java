package io.parsimony.nn.model;

import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a network is, as plain data: enough to rebuild the same block (checkpoints store it as
 * JSON) and to count its conv parameters analytically. Each family is a record.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "family")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PlainCnnSpec.class, name = "plain"),
        @JsonSubTypes.Type(value = BlockResNetSpec.class, name = "resnet"),
        @JsonSubTypes.Type(value = RescaledSpec.class, name = "rescaled"),
        @JsonSubTypes.Type(value = DacnnSpec.class, name = "dacnn"),
        @JsonSubTypes.Type(value = P4CnnSpec.class, name = "p4cnn")})
public sealed interface ModelSpec permits PlainCnnSpec, BlockResNetSpec, RescaledSpec, DacnnSpec, P4CnnSpec {

    /** Channels of the input images (1 grey, 3 RGB). */
    int inputChannels();

    /** Outputs of the classifier. */
    int classes();

    /** A fresh, uninitialised DJL block. */
    Block build();

    /** Conv weights by the foundation's Eq. 1 count (what the built block's conv kernels must hold). */
    long analyticConvWeights();

    /** Short human-readable name, e.g. "plain (35,36,37,43)". */
    String describe();
}
