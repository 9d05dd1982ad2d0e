import type { PageId } from '../lib/routes.js';
import { DatasetPage } from './DatasetPage.js';
import { EnvironmentPage } from './EnvironmentPage.js';
import { ExpertPage } from './ExpertPage.js';
import { HomePage } from './HomePage.js';
import { OutputsPage } from './OutputsPage.js';
import { RunsPage } from './RunsPage.js';
import { SettingsPage } from './SettingsPage.js';
import { TroubleshootingPage } from './TroubleshootingPage.js';
import { WizardPage } from './WizardPage.js';

const pages: Record<PageId, () => React.JSX.Element> = {
  home: HomePage,
  wizard: WizardPage,
  expert: ExpertPage,
  dataset: DatasetPage,
  runs: RunsPage,
  outputs: OutputsPage,
  environment: EnvironmentPage,
  troubleshooting: TroubleshootingPage,
  settings: SettingsPage,
};

export function PageView({ page }: { page: PageId }) {
  const Page = pages[page];
  return <Page />;
}
