package dev.nightjar.data.image;

import org.apache.spark.api.java.function.Function;

/** Keeps the selected classes, relabelled 0..k-1; an image of another class is excluded ('class not selected'). */
public final class SelectClasses implements Function<PreparedImage, PreparedImage> {
    private static final long serialVersionUID = 1L;
    public static final String REASON = "class not selected";

    private final int[] newIndex;

    /** @param newIndex old label → new label, -1 for a class left out ({@link ClassSelection#relabel}) */
    public SelectClasses(int[] newIndex) {
        this.newIndex = newIndex.clone();
    }

    @Override
    public PreparedImage call(PreparedImage img) {
        if (!img.isKept()) {
            return img;
        }
        int to = img.label < newIndex.length ? newIndex[img.label] : -1;
        if (to < 0) {
            return img.excludedFor(REASON);
        }
        return to == img.label ? img : img.relabelled(to);
    }
}
