"""One module per template engine (copier, cookiecutter), each behind `render_template`."""
