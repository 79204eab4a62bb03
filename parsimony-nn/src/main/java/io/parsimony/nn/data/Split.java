package io.parsimony.nn.data;

import java.util.Locale;

/** Which official part of a data set to load; every supported data set ships exactly these two. */
public enum Split {
    TRAIN,
    TEST;

    /** "train" / "test": used in data-set names such as "fashion-mnist/train" and image-folder sub-folders. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
