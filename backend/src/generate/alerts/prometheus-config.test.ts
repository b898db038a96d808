import { prometheusConfigExample } from './notification-files';

const scrape = (backendTarget: string) =>
  prometheusConfigExample({ backendTarget, ruleFile: 'rules.yml', job: 'pg-governor' }).scrape_configs[0];

describe('prometheusConfigExample', () => {
  it('discovers every replica behind a host name (DNS, type A)', () => {
    expect(scrape('backend:8765')).toEqual({
      job_name: 'pg-governor',
      metrics_path: '/metrics',
      dns_sd_configs: [{ names: ['backend'], type: 'A', port: 8765, refresh_interval: '15s' }],
    });
  });

  it('scrapes an address or localhost as it is: no DNS record names them', () => {
    for (const target of ['localhost:8765', '127.0.0.1:8765', '[::1]:8765'])
      expect(scrape(target)).toEqual({
        job_name: 'pg-governor',
        metrics_path: '/metrics',
        static_configs: [{ targets: [target] }],
      });
  });
});
