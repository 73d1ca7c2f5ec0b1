"""Training scripts for the models the project trains itself (`python -m dl_apps train NAME`)."""
