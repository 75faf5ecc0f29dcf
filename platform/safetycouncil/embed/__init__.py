"""The council on the municipality's own website: an embeddable block without JavaScript."""
