"""The virtual-visits AWS stack (CDK v2)."""
