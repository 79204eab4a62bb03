package io.parsimony.examples;

// tag::example[]
import io.parsimony.layout.NetworkShape;
import io.parsimony.search.Budget;
import io.parsimony.search.LayoutSearch;
import io.parsimony.search.Order;
import io.parsimony.search.ScoredLayout;

import java.util.List;

/** The best layouts of a budget, found exactly: what `parsimony layout search --layers 4 --budget 4288 --top 3` prints. */
public final class SearchExample {

    public static List<ScoredLayout> bestLayouts() {
        // four 3x3 conv layers on RGB images (n0 = 3)
        NetworkShape shape = NetworkShape.plain(3, 4, 3);
        // 4,288 units of 3x3 weights = 38,592 conv weights, exactly (tolerance 0)
        Budget budget = Budget.units(shape, 4288, 0);
        // widths strictly increasing, as in the paper; Order.FREE drops the constraint
        LayoutSearch search = new LayoutSearch(shape, budget, Order.STRICT);
        return search.top(3);   // highest energy first
    }

    public static void main(String[] args) {
        for (ScoredLayout s : bestLayouts()) {
            System.out.printf("%s  %,d weights  energy %.4f%n", s.layout().brief(), s.weights(), s.energy());
        }
    }
}
// end::example[]
