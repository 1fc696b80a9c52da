; Inno Setup 6 script (6.3 or newer): the Windows setup program of Daryn Desktop.
;
; Build the one-folder program first (python installer\build_dist.py), then:
;   ISCC /DAppVersion=0.1.0 installer\daryn.iss
; AppVersion must be daryn_desktop.__version__ (the workflow reads it from there).
; Optional: /DBuildDir=...\dist\daryn-desktop  /DOutputDir=...\dist
;
; What it does, for a coordinator without IT help:
; * installs for the current user only, without administrator rights, into
;   %LOCALAPPDATA%\Programs\Daryn Desktop, with a Start-menu shortcut;
; * speaks Kazakh, Russian or English (Kazakh from languages\Kazakh.isl);
; * opens sync bundles (.dsb) with the program: a double click runs
;   daryn-desktop.exe --import "<file>", which imports it in the Sync section;
; * uninstalls the program but keeps the person's data (%LOCALAPPDATA%\Daryn: database,
;   keys, backups, logs, settings) unless they choose to delete it.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=<daryn_desktop.__version__> installer\daryn.iss
#endif
#ifndef BuildDir
  #define BuildDir "..\dist\daryn-desktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
#define AppName "Daryn Desktop"
#define AppExe "daryn-desktop.exe"
#define BundleExt ".dsb"
#define BundleProgId "DarynDesktop.Bundle"
; Where the program keeps its data (daryn_desktop/paths.py: platformdirs, app "Daryn").
#define DataDir "{localappdata}\Daryn"

[Setup]
; The AppId identifies the installation for upgrades and uninstall: never change it.
AppId={{6C1F4E2A-9B57-4D3C-8E21-5A0D7F3B9C64}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Daryn Desktop team
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per user, no administrator rights, and no dialog offering "all users".
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; PySide6 (Qt 6) runs on 64-bit Windows 10 and newer.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
CloseApplications=yes
SetupIconFile=..\resources\icons\daryn.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
ShowLanguageDialog=yes
Compression=lzma2/max
SolidCompression=yes
OutputDir={#OutputDir}
OutputBaseFilename=daryn-desktop-{#AppVersion}-setup

[Languages]
; The first language is used when Windows' own matches none: Kazakh, the product's default.
Name: "kk"; MessagesFile: "languages\Kazakh.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
kk.BundleFileType=Daryn синхрондау пакеті
ru.BundleFileType=Пакет синхронизации Daryn
en.BundleFileType=Daryn sync bundle
kk.DeleteDataQuestion=Деректеріңізді де жою керек пе?%n%n%1%n%nБұл қалтада дерекқор, кілттер, сақтық көшірмелер және баптаулар бар. Жойылған соң оларды қалпына келтіру мүмкін емес; өңірге әлі жіберілмеген өзгерістер жоғалады.%n%nБағдарламаны қайта орнатқыңыз келсе, «Жоқ» түймесін басыңыз: деректер сақталады.
ru.DeleteDataQuestion=Удалить также ваши данные?%n%n%1%n%nВ этой папке база данных, ключи, резервные копии и настройки. После удаления их нельзя восстановить; изменения, ещё не переданные в регион, будут потеряны.%n%nЕсли вы собираетесь установить программу заново, нажмите «Нет»: данные сохранятся.
en.DeleteDataQuestion=Also delete your data?%n%n%1%n%nThis folder holds the database, its keys, backups and settings. Once deleted they cannot be recovered; changes not yet sent to the region are lost.%n%nIf you are going to install the program again, choose No: the data is kept.
kk.DeleteDataFailed=Деректер қалтасы толық жойылмады: %1
ru.DeleteDataFailed=Папку с данными не удалось удалить полностью: %1
en.DeleteDataFailed=The data folder could not be deleted completely: %1

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program's libraries as a whole: nothing of an older build stays.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The bundle file type, for this user (HKA is HKCU in a per-user install).
Root: HKA; Subkey: "Software\Classes\{#BundleExt}"; ValueType: string; ValueName: ""; ValueData: "{#BundleProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#BundleExt}\OpenWithProgids"; ValueType: string; ValueName: "{#BundleProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:BundleFileType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\_internal\resources\icons\daryn-bundle.ico"
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" --import ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: "{#BundleExt}"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ The uninstaller removes only what setup installed. The person's data (database, keys,
  backups, logs, settings) is kept unless they say otherwise; a silent uninstall keeps it. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  DataDir := ExpandConstant('{#DataDir}');
  if UninstallSilent or not DirExists(DataDir) then
    exit;
  if SuppressibleMsgBox(FmtMessage(CustomMessage('DeleteDataQuestion'), [DataDir]),
       mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES then
  begin
    if not DelTree(DataDir, True, True, True) then
      MsgBox(FmtMessage(CustomMessage('DeleteDataFailed'), [DataDir]), mbError, MB_OK);
  end;
end;
