import type common from '../../../../locales/zh-CN/common.json';
import type dataset from '../../../../locales/zh-CN/dataset.json';
import type environment from '../../../../locales/zh-CN/environment.json';
import type errors from '../../../../locales/zh-CN/errors.json';
import type expert from '../../../../locales/zh-CN/expert.json';
import type home from '../../../../locales/zh-CN/home.json';
import type nav from '../../../../locales/zh-CN/nav.json';
import type notices from '../../../../locales/zh-CN/notices.json';
import type outputs from '../../../../locales/zh-CN/outputs.json';
import type pages from '../../../../locales/zh-CN/pages.json';
import type runs from '../../../../locales/zh-CN/runs.json';
import type settings from '../../../../locales/zh-CN/settings.json';
import type wizard from '../../../../locales/zh-CN/wizard.json';

/** Keys are typed from the zh-CN files: a typo or a missing key fails the typecheck. */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: {
      common: typeof common;
      dataset: typeof dataset;
      environment: typeof environment;
      errors: typeof errors;
      expert: typeof expert;
      home: typeof home;
      nav: typeof nav;
      notices: typeof notices;
      outputs: typeof outputs;
      pages: typeof pages;
      runs: typeof runs;
      settings: typeof settings;
      wizard: typeof wizard;
    };
  }
}
