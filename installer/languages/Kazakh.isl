; *** Inno Setup 6 Kazakh messages (Қазақ тілі), written for Daryn Desktop ***
;
; Saved as UTF-8 with a byte-order mark, which Inno Setup 6 (Unicode only) reads as such.
; Translated: every message that the Daryn Desktop setup and uninstaller can show (the
; wizard pages it uses, buttons, progress, errors, the uninstaller) and the standard
; [CustomMessages]. Not translated, because installer/daryn.iss never shows those pages:
; password, licence, user information, components, Start-menu folder, next disk and
; download/extraction pages. A message missing here is taken from Inno's English
; Default.isl, and the compiler lists it as a warning (MissingMessagesWarning).
; Placeholders (%1, %2, %n, [name], [name/ver], [mb], [gb]) and one "&" per label are kept.

[LangOptions]
LanguageName=Қазақ тілі
LanguageID=$043F
LanguageCodePage=0

[Messages]

; *** Application titles
SetupAppTitle=Орнату
SetupWindowTitle=Орнату — %1
UninstallAppTitle=Жою
UninstallAppFullTitle=%1 бағдарламасын жою

; *** Misc. common
InformationTitle=Ақпарат
ConfirmTitle=Растау
ErrorTitle=Қате

; *** SetupLdr messages
SetupLdrStartupMessage=%1 орнатылады. Жалғастырасыз ба?
LdrCannotCreateTemp=Уақытша файл жасалмады. Орнату тоқтатылды
LdrCannotExecTemp=Уақытша қалтадағы файл іске қосылмады. Орнату тоқтатылды
HelpTextNote=

; *** Startup error messages
LastErrorMessage=%1.%n%nҚате %2: %3
SetupFileMissing=Орнату қалтасында %1 файлы жоқ. Ақауды түзетіңіз немесе бағдарламаның жаңа көшірмесін алыңыз.
SetupFileCorrupt=Орнату файлдары бүлінген. Бағдарламаның жаңа көшірмесін алыңыз.
SetupFileCorruptOrWrongVer=Орнату файлдары бүлінген немесе орнатушының осы нұсқасымен үйлеспейді. Ақауды түзетіңіз немесе бағдарламаның жаңа көшірмесін алыңыз.
InvalidParameter=Пәрмен жолында жарамсыз параметр берілді:%n%n%1
SetupAlreadyRunning=Орнату бағдарламасы іске қосылып тұр.
WindowsVersionNotSupported=Бұл бағдарлама компьютеріңіздегі Windows нұсқасын қолдамайды.
WindowsServicePackRequired=Бұл бағдарламаға %1 Service Pack %2 немесе одан кейінгісі қажет.
NotOnThisPlatform=Бұл бағдарлама %1 жүйесінде жұмыс істемейді.
OnlyOnThisPlatform=Бұл бағдарламаны %1 жүйесінде іске қосу керек.
OnlyOnTheseArchitectures=Бұл бағдарламаны тек мына процессор архитектураларына арналған Windows нұсқаларына орнатуға болады:%n%n%1
WinVersionTooLowError=Бұл бағдарламаға %1 %2 нұсқасы немесе одан жаңасы қажет.
WinVersionTooHighError=Бұл бағдарламаны %1 %2 немесе одан жаңа нұсқасына орнату мүмкін емес.
AdminPrivilegesRequired=Бұл бағдарламаны орнату үшін жүйеге әкімші ретінде кіру керек.
PowerUserPrivilegesRequired=Бұл бағдарламаны орнату үшін жүйеге әкімші немесе «Power Users» тобының мүшесі ретінде кіру керек.
SetupAppRunningError=%1 қазір іске қосылып тұр.%n%nОның барлық терезелерін жабыңыз да, жалғастыру үшін «OK», шығу үшін «Бас тарту» түймесін басыңыз.
UninstallAppRunningError=%1 қазір іске қосылып тұр.%n%nОның барлық терезелерін жабыңыз да, жалғастыру үшін «OK», шығу үшін «Бас тарту» түймесін басыңыз.

; *** Startup questions (not shown: PrivilegesRequired=lowest allows no other mode)
PrivilegesRequiredOverrideInstruction=Орнату тәсілін таңдаңыз
PrivilegesRequiredOverrideTaskDialogText1=%1 бағдарламасын барлық пайдаланушыларға (әкімші құқығы қажет) немесе тек өзіңізге орнатуға болады.
PrivilegesRequiredOverrideMsgBoxText1=%1 бағдарламасын барлық пайдаланушыларға (ұсынылады, бірақ әкімші құқығы қажет) немесе тек өзіңізге орнатуға болады.%n%nБарлық пайдаланушыларға орнатасыз ба?
PrivilegesRequiredOverrideTaskDialogText2=%1 бағдарламасын тек өзіңізге немесе барлық пайдаланушыларға (әкімші құқығы қажет) орнатуға болады.
PrivilegesRequiredOverrideMsgBoxText2=%1 бағдарламасын тек өзіңізге (ұсынылады) немесе барлық пайдаланушыларға (әкімші құқығы қажет) орнатуға болады.%n%nТек өзіңізге орнатасыз ба?
PrivilegesRequiredOverrideAllUsers=&Барлық пайдаланушыларға орнату
PrivilegesRequiredOverrideCurrentUser=Тек &маған орнату
PrivilegesRequiredOverrideRecommended=%1 (ұсынылады)

; *** Misc. errors
ErrorCreatingDir=«%1» қалтасы жасалмады
ErrorTooManyFilesInDir=«%1» қалтасында файл тым көп болғандықтан, онда файл жасалмады

; *** Setup common messages
ExitSetupTitle=Орнатудан шығу
ExitSetupMessage=Орнату аяқталған жоқ. Қазір шықсаңыз, бағдарлама орнатылмайды.%n%nОрнатуды кейін қайта іске қосып, аяқтай аласыз.%n%nОрнатудан шығасыз ба?
AboutSetupMenuItem=Орнатушы &туралы...
AboutSetupTitle=Орнатушы туралы
AboutSetupMessage=%1, нұсқасы %2%n%3%n%n%1 сайты:%n%4
AboutSetupNote=
TranslatorNote=Daryn Desktop үшін аударылған.

; *** Buttons
ButtonBack=< &Артқа
ButtonNext=&Келесі >
ButtonInstall=&Орнату
ButtonOK=OK
ButtonCancel=Бас тарту
ButtonYes=&Иә
ButtonYesToAll=Бәріне и&ә
ButtonNo=&Жоқ
ButtonNoToAll=Бәріне жо&қ
ButtonFinish=&Дайын
ButtonBrowse=&Шолу...
ButtonWizardBrowse=Ш&олу...
ButtonNewFolder=&Жаңа қалта жасау

; *** "Select Language" dialog messages
SelectLanguageTitle=Орнату тілін таңдаңыз
SelectLanguageLabel=Орнату кезінде қолданылатын тілді таңдаңыз:

; *** Common wizard text
ClickNext=Жалғастыру үшін «Келесі», орнатудан шығу үшін «Бас тарту» түймесін басыңыз.
BeveledLabel=
BrowseDialogTitle=Қалтаны таңдау
BrowseDialogLabel=Тізімнен қалтаны таңдап, «OK» түймесін басыңыз.
NewFolderName=Жаңа қалта

; *** "Welcome" wizard page
WelcomeLabel1=[name] орнату шеберіне қош келдіңіз
WelcomeLabel2=Компьютеріңізге [name/ver] орнатылады.%n%nЖалғастырмас бұрын басқа бағдарламалардың бәрін жапқан жөн.

; *** "Select Destination Location" wizard page
WizardSelectDir=Орнату қалтасын таңдау
SelectDirDesc=[name] қай жерге орнатылсын?
SelectDirLabel3=[name] мына қалтаға орнатылады.
SelectDirBrowseLabel=Жалғастыру үшін «Келесі» түймесін басыңыз. Басқа қалтаны таңдағыңыз келсе, «Шолу» түймесін басыңыз.
DiskSpaceGBLabel=Дискіде кемінде [gb] ГБ бос орын қажет.
DiskSpaceMBLabel=Дискіде кемінде [mb] МБ бос орын қажет.
CannotInstallToNetworkDrive=Желілік дискіге орнату мүмкін емес.
CannotInstallToUNCPath=UNC жолына орнату мүмкін емес.
InvalidPath=Диск әрпі бар толық жолды жазыңыз, мысалы:%n%nC:\APP%n%nнемесе мына түрдегі UNC жолын:%n%n\\server\share
InvalidDrive=Таңдалған диск немесе UNC ортақ ресурсы жоқ не қолжетімсіз. Басқасын таңдаңыз.
DiskSpaceWarningTitle=Дискіде орын жеткіліксіз
DiskSpaceWarning=Орнатуға кемінде %1 КБ бос орын қажет, ал таңдалған дискіде тек %2 КБ бар.%n%nСонда да жалғастырасыз ба?
DirNameTooLong=Қалта аты немесе жол тым ұзын.
InvalidDirName=Қалта аты жарамсыз.
BadDirName32=Қалта атында мына таңбалар болмауы керек:%n%n%1
DirExistsTitle=Қалта бар
DirExists=Мына қалта:%n%n%1%n%nбұрыннан бар. Сонда да осы қалтаға орнатасыз ба?
DirDoesntExistTitle=Қалта жоқ
DirDoesntExist=Мына қалта:%n%n%1%n%nжоқ. Оны жасау керек пе?

; *** "Select Additional Tasks" wizard page
WizardSelectTasks=Қосымша тапсырмаларды таңдау
SelectTasksDesc=Қандай қосымша тапсырмалар орындалсын?
SelectTasksLabel2=[name] орнатылған кезде орындалатын қосымша тапсырмаларды таңдап, «Келесі» түймесін басыңыз.

; *** "Ready to Install" wizard page
WizardReady=Орнатуға дайын
ReadyLabel1=[name] бағдарламасын компьютеріңізге орнатуға бәрі дайын.
ReadyLabel2a=Орнатуды бастау үшін «Орнату», параметрлерді қарау не өзгерту үшін «Артқа» түймесін басыңыз.
ReadyLabel2b=Орнатуды бастау үшін «Орнату» түймесін басыңыз.
ReadyMemoUserInfo=Пайдаланушы туралы мәлімет:
ReadyMemoDir=Орнату қалтасы:
ReadyMemoType=Орнату түрі:
ReadyMemoComponents=Таңдалған құрамдас бөліктер:
ReadyMemoGroup=«Бастау» мәзіріндегі қалта:
ReadyMemoTasks=Қосымша тапсырмалар:

; *** "Preparing to Install" wizard page
WizardPreparing=Орнатуға дайындық
PreparingDesc=[name] бағдарламасын компьютеріңізге орнатуға дайындық жүріп жатыр.
PreviousInstallNotCompleted=Алдыңғы бағдарламаны орнату не жою аяқталмаған. Оны аяқтау үшін компьютерді қайта іске қосу керек.%n%nКомпьютер қайта іске қосылған соң, [name] орнатуын аяқтау үшін орнатушыны қайта іске қосыңыз.
CannotContinue=Орнатуды жалғастыру мүмкін емес. Шығу үшін «Бас тарту» түймесін басыңыз.
ApplicationsFound=Орнатушы жаңартуы тиіс файлдарды мына бағдарламалар пайдаланып отыр. Бұл бағдарламаларды орнатушы өзі жабуына рұқсат берген жөн.
ApplicationsFound2=Орнатушы жаңартуы тиіс файлдарды мына бағдарламалар пайдаланып отыр. Бұл бағдарламаларды орнатушы өзі жабуына рұқсат берген жөн. Орнату аяқталған соң орнатушы оларды қайта іске қосуға тырысады.
CloseApplications=Бағдарламаларды &автоматты түрде жабу
DontCloseApplications=Бағдарламаларды &жаппау
ErrorCloseApplications=Орнатушы барлық бағдарламаны автоматты түрде жаба алмады. Жалғастырмас бұрын орнатушы жаңартуы тиіс файлдарды пайдаланатын бағдарламалардың бәрін жапқан жөн.

; *** "Installing" wizard page
WizardInstalling=Орнату
InstallingLabel=[name] компьютеріңізге орнатылып жатыр, күте тұрыңыз.

; *** "Setup Completed" wizard page
FinishedHeadingLabel=[name] орнату шебері жұмысын аяқтады
FinishedLabelNoIcons=[name] компьютеріңізге орнатылды.
FinishedLabel=[name] компьютеріңізге орнатылды. Бағдарламаны орнатылған белгішелер арқылы іске қосуға болады.
ClickFinish=Орнатудан шығу үшін «Дайын» түймесін басыңыз.
FinishedRestartLabel=[name] орнатуын аяқтау үшін компьютерді қайта іске қосу керек. Қазір қайта іске қосасыз ба?
FinishedRestartMessage=[name] орнатуын аяқтау үшін компьютерді қайта іске қосу керек.%n%nҚазір қайта іске қосасыз ба?
ShowReadmeCheck=Иә, README файлын қарағым келеді
YesRadio=&Иә, компьютерді қазір қайта іске қосу
NoRadio=&Жоқ, компьютерді кейін өзім қайта іске қосамын
RunEntryExec=%1 іске қосу
RunEntryShellExec=%1 қарау

; *** Installation phase messages
SetupAborted=Орнату аяқталмады.%n%nАқауды түзетіп, орнатушыны қайта іске қосыңыз.
AbortRetryIgnoreSelectAction=Әрекетті таңдаңыз
AbortRetryIgnoreRetry=&Қайталап көру
AbortRetryIgnoreIgnore=&Қатеге қарамай жалғастыру
AbortRetryIgnoreCancel=Орнатудан бас тарту
RetryCancelSelectAction=Әрекетті таңдаңыз
RetryCancelRetry=&Қайталап көру
RetryCancelCancel=Бас тарту

; *** Installation status messages
StatusClosingApplications=Бағдарламалар жабылып жатыр...
StatusCreateDirs=Қалталар жасалып жатыр...
StatusExtractFiles=Файлдар шығарылып жатыр...
StatusDownloadFiles=Файлдар жүктеліп жатыр...
StatusCreateIcons=Белгішелер жасалып жатыр...
StatusCreateIniEntries=INI жазбалары жасалып жатыр...
StatusCreateRegistryEntries=Тізілім жазбалары жасалып жатыр...
StatusRegisterFiles=Файлдар тіркеліп жатыр...
StatusSavingUninstall=Жою туралы мәлімет сақталып жатыр...
StatusRunProgram=Орнату аяқталып жатыр...
StatusRestartingApplications=Бағдарламалар қайта іске қосылып жатыр...
StatusRollback=Өзгерістер кері қайтарылып жатыр...

; *** Misc. errors
ErrorInternal2=Ішкі қате: %1
ErrorFunctionFailedNoCode=%1 орындалмады
ErrorFunctionFailed=%1 орындалмады; коды %2
ErrorFunctionFailedWithMessage=%1 орындалмады; коды %2.%n%3
ErrorExecutingProgram=Файл іске қосылмады:%n%1

; *** Registry errors
ErrorRegOpenKey=Тізілім кілтін ашу кезінде қате шықты:%n%1\%2
ErrorRegCreateKey=Тізілім кілтін жасау кезінде қате шықты:%n%1\%2
ErrorRegWriteKey=Тізілім кілтіне жазу кезінде қате шықты:%n%1\%2

; *** INI errors
ErrorIniEntry=«%1» файлында INI жазбасын жасау кезінде қате шықты.

; *** File copying errors
FileAbortRetryIgnoreSkipNotRecommended=Бұл файлды &өткізіп жіберу (ұсынылмайды)
FileAbortRetryIgnoreIgnoreNotRecommended=&Қатеге қарамай жалғастыру (ұсынылмайды)
SourceIsCorrupted=Бастапқы файл бүлінген
SourceDoesntExist=«%1» бастапқы файлы жоқ
ExistingFileReadOnly2=Бар файлды ауыстыру мүмкін емес: ол «тек оқу үшін» деп белгіленген.
ExistingFileReadOnlyRetry=«Тек оқу үшін» белгісін алып, &қайталап көру
ExistingFileReadOnlyKeepExisting=Бар файлды &қалдыру
ErrorReadingExistingDest=Бар файлды оқу кезінде қате шықты:
FileExistsSelectAction=Әрекетті таңдаңыз
FileExists2=Мұндай файл бұрыннан бар.
FileExistsOverwriteExisting=Бар файлды &қайта жазу
FileExistsKeepExisting=Бар файлды &қалдыру
FileExistsOverwriteOrKeepAll=&Келесі қайшылықтарда да осылай істеу
ExistingFileNewerSelectAction=Әрекетті таңдаңыз
ExistingFileNewer2=Бар файл орнатушы орнатпақ файлдан жаңарақ.
ExistingFileNewerOverwriteExisting=Бар файлды &қайта жазу
ExistingFileNewerKeepExisting=Бар файлды &қалдыру (ұсынылады)
ExistingFileNewerOverwriteOrKeepAll=&Келесі қайшылықтарда да осылай істеу
ErrorChangingAttr=Бар файлдың атрибуттарын өзгерту кезінде қате шықты:
ErrorCreatingTemp=Орнату қалтасында файл жасау кезінде қате шықты:
ErrorReadingSource=Бастапқы файлды оқу кезінде қате шықты:
ErrorCopying=Файлды көшіру кезінде қате шықты:
ErrorReplacingExistingFile=Бар файлды ауыстыру кезінде қате шықты:
ErrorRestartReplace=RestartReplace орындалмады:
ErrorRenamingTemp=Орнату қалтасындағы файлдың атын өзгерту кезінде қате шықты:
ErrorRegisterServer=DLL/OCX тіркелмеді: %1
ErrorRegSvr32Failed=RegSvr32 %1 кодымен аяқталды
ErrorRegisterTypeLib=Типтер кітапханасы тіркелмеді: %1

; *** Uninstall display name markings
UninstallDisplayNameMark=%1 (%2)
UninstallDisplayNameMarks=%1 (%2, %3)
UninstallDisplayNameMark32Bit=32 бит
UninstallDisplayNameMark64Bit=64 бит
UninstallDisplayNameMarkAllUsers=Барлық пайдаланушылар
UninstallDisplayNameMarkCurrentUser=Ағымдағы пайдаланушы

; *** Post-installation errors
ErrorOpeningReadme=README файлын ашу кезінде қате шықты.
ErrorRestartingComputer=Орнатушы компьютерді қайта іске қоса алмады. Мұны өзіңіз жасаңыз.

; *** Uninstaller messages
UninstallNotFound=«%1» файлы жоқ. Жою мүмкін емес.
UninstallOpenError=«%1» файлы ашылмады. Жою мүмкін емес
UninstallUnsupportedVer=«%1» жою журналының пішімін жойғыштың бұл нұсқасы танымайды. Жою мүмкін емес
UninstallUnknownEntry=Жою журналында белгісіз жазба (%1) кездесті
ConfirmUninstall=%1 бағдарламасын барлық құрамдас бөліктерімен бірге толық жойғыңыз келе ме?
UninstallOnlyOnWin64=Бұл бағдарламаны тек 64 биттік Windows жүйесінде жоюға болады.
OnlyAdminCanUninstall=Бұл бағдарламаны тек әкімші құқығы бар пайдаланушы жоя алады.
UninstallStatusLabel=%1 компьютеріңізден жойылып жатыр, күте тұрыңыз.
UninstalledAll=%1 компьютеріңізден толық жойылды.
UninstalledMost=%1 жойылды.%n%nКейбір элементтерді жою мүмкін болмады. Оларды өзіңіз жоя аласыз.
UninstalledAndNeedsRestart=%1 жоюды аяқтау үшін компьютерді қайта іске қосу керек.%n%nҚазір қайта іске қосасыз ба?
UninstallDataCorrupted=«%1» файлы бүлінген. Жою мүмкін емес

; *** Uninstallation phase messages
ConfirmDeleteSharedFileTitle=Ортақ файлды жою керек пе?
ConfirmDeleteSharedFile2=Жүйенің мәліметі бойынша мына ортақ файлды енді ешбір бағдарлама пайдаланбайды. Оны жою керек пе?%n%nЕгер оны әлі де пайдаланатын бағдарлама болса, файл жойылған соң ол дұрыс жұмыс істемеуі мүмкін. Сенімді болмасаңыз, «Жоқ» түймесін басыңыз. Файлдың жүйеде қалуы ешқандай зиян келтірмейді.
SharedFileNameLabel=Файл аты:
SharedFileLocationLabel=Орны:
WizardUninstalling=Жою барысы
StatusUninstalling=%1 жойылып жатыр...

; *** Shutdown block reasons
ShutdownBlockReasonInstallingApp=%1 орнатылып жатыр.
ShutdownBlockReasonUninstallingApp=%1 жойылып жатыр.

[CustomMessages]

NameAndVersion=%1, нұсқасы %2
AdditionalIcons=Қосымша белгішелер:
CreateDesktopIcon=&Жұмыс үстелінде белгіше жасау
CreateQuickLaunchIcon=&Жылдам іске қосу тақтасында белгіше жасау
ProgramOnTheWeb=%1 интернетте
UninstallProgram=%1 бағдарламасын жою
LaunchProgram=%1 іске қосу
AssocFileExtension=%2 кеңейтімді файлдарды %1 бағдарламасымен &байланыстыру
AssocingFileExtension=%2 кеңейтімді файлдар %1 бағдарламасымен байланыстырылып жатыр...
AutoStartProgramGroupDescription=Автоматты іске қосу:
AutoStartProgram=%1 автоматты түрде іске қосу
AddonHostProgramNotFound=Таңдалған қалтада %1 табылмады.%n%nСонда да жалғастырасыз ба?
