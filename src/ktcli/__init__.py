"""ktcli: rational troubleshooting for technical support."""
