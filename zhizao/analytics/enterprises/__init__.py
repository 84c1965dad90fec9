"""Enterprises, parks and green targets (issue 13): pure functions over the frames of `data.EnterpriseData`."""
