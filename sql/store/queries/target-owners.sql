-- Every target's owner and whether that owner is alive now (store clock).
SELECT o.target, o.owner, r.instance IS NOT NULL AS live
  FROM target_owners o
  LEFT JOIN replicas r ON r.instance = o.owner AND r.expires_at > clock_timestamp() AND r.lapsed_at IS NULL
