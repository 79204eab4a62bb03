package io.parsimony.cli.output;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.parsimony.nn.train.TrainingJson;
import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.ColumnData;
import com.github.freva.asciitable.HorizontalAlign;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/** {@code --json} and the shared ways of writing a result: a readable table or one JSON document. */
public final class Output {

    /** The training files' one mapper: what is printed reads back like what is written. */
    private static final ObjectWriter JSON = TrainingJson.MAPPER.writerWithDefaultPrettyPrinter();
    private static final ObjectWriter JSON_LINE = TrainingJson.MAPPER.writer();

    @Option(names = "--json", description = "Print JSON for scripts instead of tables.")
    boolean json;

    public boolean json() {
        return json;
    }

    public static void writeJson(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    /** One compact JSON document per line, for streams. */
    public static void writeJsonLine(PrintWriter out, Object value) {
        try {
            out.println(JSON_LINE.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A column definition: header, alignment and how to render a row. */
    public record Col<T>(String header, boolean right, Function<T, String> value) {
        public static <T> Col<T> left(String header, Function<T, String> value) {
            return new Col<>(header, false, value);
        }

        public static <T> Col<T> right(String header, Function<T, String> value) {
            return new Col<>(header, true, value);
        }
    }

    @SafeVarargs
    public static <T> void writeTable(PrintWriter out, List<T> rows, Col<T>... cols) {
        List<ColumnData<T>> columns = new java.util.ArrayList<>();
        for (Col<T> c : cols) {
            HorizontalAlign a = c.right() ? HorizontalAlign.RIGHT : HorizontalAlign.LEFT;
            columns.add(new Column().header(c.header()).headerAlign(a).dataAlign(a).with(c.value()));
        }
        out.println(AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, rows, columns));
        out.flush();
    }

    public static String thousands(long v) {
        return String.format("%,d", v);
    }

    public static String fixed(double v, int decimals) {
        return String.format("%,." + decimals + "f", v);
    }

    /** Energies of deep backbones overflow readable decimals, so large ones are printed as powers of ten. */
    public static String energy(double logEnergy) {
        double log10 = logEnergy / Math.log(10);
        return log10 < 6 ? String.format("%.2f", Math.exp(logEnergy)) : String.format("%.4fe%d",
                Math.pow(10, log10 - Math.floor(log10)), (long) Math.floor(log10));
    }
}
