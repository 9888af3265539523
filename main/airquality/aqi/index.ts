export * from './breakpoints';
export * from './categories';
export * from './epa-aqi';
export * from './nowcast';
export * from './who-guidelines';
export * from './other-indices';
export * from './health-advice';
