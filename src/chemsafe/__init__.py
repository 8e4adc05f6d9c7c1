"""chemsafe-esg: chemical-safety compliance extracts to risk-weighted ESG KPIs."""

__version__ = "0.1.0"
