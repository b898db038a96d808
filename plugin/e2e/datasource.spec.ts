import { expect, test } from '@grafana/plugin-e2e';

/** The provisioned data source (provisioning/datasources/pg-governor.yaml) in a real Grafana. */
test('the provisioned data source passes "Save & test"', async ({
  readProvisionedDataSource,
  gotoDataSourceConfigPage,
}) => {
  const datasource = await readProvisionedDataSource({ fileName: 'pg-governor.yaml' });
  const configPage = await gotoDataSourceConfigPage(datasource.uid);
  await expect(configPage.saveAndTest()).toBeOK();
  await expect(configPage).toHaveAlert('success', { hasText: /Connected to PG Governor/ });
});

test('the query editor picks a metric and the panel gets data', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const datasource = await readProvisionedDataSource({ fileName: 'pg-governor.yaml' });
  await panelEditPage.datasource.set(datasource.name);
  await page.locator('#pgg-metric').click();
  await page.keyboard.type('pg_connections');
  await page.keyboard.press('Enter');
  await expect(page.getByText('SQL', { exact: true })).toBeVisible();
  await expect(panelEditPage.refreshPanel()).toBeOK();
  await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
});

test('a panel of a shipped dashboard renders without errors', async ({ gotoDashboardPage }) => {
  const dashboard = await gotoDashboardPage({ uid: 'pgg-sessions' });
  const panel = dashboard.getPanelByTitle('Sessions by state');
  await expect(panel.locator).toBeVisible();
  await expect(panel.getErrorIcon()).toHaveCount(0);
});
