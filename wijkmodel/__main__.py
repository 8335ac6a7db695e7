"""`python -m wijkmodel`: see wijkmodel.cli."""

from wijkmodel.cli import main

main()
