package dev.nightjar.data.image;

import dev.nightjar.model.ImageShape;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.input.PortableDataStream;
import scala.Tuple2;

import java.io.InputStream;
import java.util.Map;

/** Decodes one file of a class-folder tree; its parent folder names the class. */
public final class ImageFileDecoder implements Function<Tuple2<String, PortableDataStream>, PreparedImage> {
    private static final long serialVersionUID = 1L;

    private final Map<String, Integer> classIndex;
    private final ImageShape shape;

    public ImageFileDecoder(Map<String, Integer> classIndex, ImageShape shape) {
        this.classIndex = Map.copyOf(classIndex);
        this.shape = shape;
    }

    @Override
    public PreparedImage call(Tuple2<String, PortableDataStream> file) {
        String path = file._1();
        String folder = new Path(path).getParent().getName();
        Integer label = classIndex.get(folder);
        if (label == null) {
            return PreparedImage.rejected(path, "folder '" + folder + "' is not a known class");
        }
        try (InputStream in = file._2().open()) {
            return PreparedImage.ok(path, label, ImageDecoding.decode(in, shape));
        } catch (ImageDecoding.NotAnImage e) {
            return PreparedImage.rejected(path, e.getMessage());
        } catch (Exception e) {
            return PreparedImage.rejected(path, "unreadable: " + e);
        }
    }
}
