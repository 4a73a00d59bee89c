"""Support: how much proposals are supported, overall and in every region.

- `direct`: overall and by-region support with Wilson intervals, post-stratified support, cross-region consensus.
- `pooled`: regional support at real vote density: pooled estimates and "supported in every region".
- `pooling_model`: the hierarchical model of agree shares by proposal and region that `pooled` fits.

Pure analysis on DataFrames (numpy, scipy, pandas, `consult.regions`): storage and pages call it, it calls neither.
"""
