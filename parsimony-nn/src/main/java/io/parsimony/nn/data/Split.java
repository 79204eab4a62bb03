package io.parsimony.nn.data;

import java.util.Locale;

/** Which official part of a data set to load; every supported data set ships exactly these two. */
public enum Split {
    /** The training images; a run holds out its validation share from these. */
    TRAIN,
    /** The test images: read for final figures only, never to choose a model. */
    TEST;

    /** "train" / "test": used in data-set names such as "fashion-mnist/train" and image-folder sub-folders. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
