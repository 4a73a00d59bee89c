"""Opinion groups, Polis-faithful: who agrees with whom, and what divides them.

- `vote_matrix`: the participant x proposal matrix; `groups`: PCA, k-means and k selection as Polis does them;
  `resampling`: the groups re-found on subsamples: how settled each participant's group is (or, when asked, their majority).
- `carry_over`: a live conversation's groups carried from one update to the next (k smoothing, warm starts, names).
- `repness`: what each group stands for; `compare`: group against group; `names`: what a group is called.

Pure analysis on DataFrames and arrays (numpy, scipy, scikit-learn); may import `consult.text` and `consult.regions`.
"""
