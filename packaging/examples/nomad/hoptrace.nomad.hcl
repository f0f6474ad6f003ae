# hoptrace on every Nomad client, every 5 minutes: a system batch job
# (type "sysbatch": one allocation per eligible client, like a system job,
# but each runs to completion), launched periodically.  The task traces
# from the client's own network (network_mode "host") and pipes its JSON
# Lines to Kafka with kcat.  The image holds hoptrace, hopprobe and kcat;
# the names are examples.
job "hoptrace" {
  datacenters = ["dc1"]
  type        = "sysbatch"

  periodic {
    crons            = ["*/5 * * * *"]
    prohibit_overlap = true
  }

  group "trace" {
    task "trace" {
      driver = "docker"

      config {
        image        = "registry.example.net/hopprobe-kcat:0.1.0"
        network_mode = "host"
        cap_drop     = ["all"]
        cap_add      = ["net_raw"]
        command      = "/bin/sh"
        args = ["-c", <<-EOT
          hoptrace --jsonl -n -c 10 --file /local/targets.txt >/alloc/run.jsonl
          status=$?
          [ "$status" -le 1 ] || exit "$status"
          kcat -P -b kafka.example.net:9092 -t traces -l /alloc/run.jsonl
        EOT
        ]
      }

      template {
        destination = "local/targets.txt"
        data        = <<-EOT
          203.0.113.10
          198.51.100.7:53
          2001:db8:10::10
        EOT
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
