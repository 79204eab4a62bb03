/**
 * Experiments that reproduce the papers: sweeps with a results store, analysis, plots and
 * reports (seed 001), and the EBCLE depth bound with its empirical probe (seed 003).
 */
package io.parsimony.experiment;
