"""`chemsafe bench`: dbt build against the engine floor and the pandas baseline."""
