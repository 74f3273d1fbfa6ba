from pulumi_dataplatforms import manifests

manifests.apply("manifests/")
