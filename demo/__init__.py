"""The demo: seed data told as a story through the services, and the commands that serve it
(``seed_demo``, ``demo``, ``demo_totp``). The top floor: it may import every app, and
nothing imports it (tests/test_layers.py). It needs time-machine (the ``demo`` dependency
group), which production does not install."""
