"""Test support shared by every app: the route registry and the sweep that tries each route
with every persona (`grassroots.core.tests.test_route_sweep`)."""
